/*  libFuzzer harness: frame decoding. The input is split into frames at 0xff bytes, so the
    fuzzer controls the frame count and each frame's bytes. */
#include <stddef.h>
#include <stdint.h>
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *frames[WIRE_MAX_ARGS + 4];
    size_t sizes[WIRE_MAX_ARGS + 4];
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= size && n < WIRE_MAX_ARGS + 4; i++) {
        if (i == size || data[i] == 0xff) {
            frames[n] = data + start;
            sizes[n] = i - start;
            n++;
            start = i + 1;
        }
    }
    wire_msg_t m;
    if (wire_decode(frames, sizes, n, &m) == 0) {
        /* Touch every argument the decoder vouched for. */
        volatile uint8_t sink = 0;
        for (size_t i = 0; i < m.nargs; i++)
            if (m.arg_len[i])
                sink ^= m.arg[i][m.arg_len[i] - 1];
        (void)sink;
    }
    return 0;
}
