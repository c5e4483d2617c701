/*
 * replay.c: a standalone driver that feeds each file named on the command
 * line to LLVMFuzzerTestOneInput, for compilers without libFuzzer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	int n = 0;

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *p;
		long len;

		if (!f)
			continue;
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		fseek(f, 0, SEEK_SET);
		p = malloc(len > 0 ? (size_t)len : 1);
		if (p && fread(p, 1, (size_t)len, f) == (size_t)len) {
			LLVMFuzzerTestOneInput(p, (size_t)len);
			n++;
		}
		free(p);
		fclose(f);
	}
	printf("replayed %d inputs\n", n);
	return 0;
}
