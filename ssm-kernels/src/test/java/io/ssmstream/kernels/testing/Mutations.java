package io.ssmstream.kernels.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Corrupted copies of real input files for {@link Fuzz} properties: each sample is a seed file with 1 to 8 random edits
 * (a flipped bit, a random byte, a deleted or duplicated range, random bytes inserted, the tail cut off), the
 * kinds of damage a truncated upload, a bad disk or a wrong file type do.
 */
public final class Mutations {
    private Mutations() {
    }

    /** A mutated copy of one of the seeds (chosen uniformly), never a seed itself unchanged. */
    public static byte[] of(List<byte[]> seeds, Random random) {
        return mutate(seeds.get(random.nextInt(seeds.size())), random);
    }

    static byte[] mutate(byte[] seed, Random random) {
        byte[] out = seed.clone();
        int edits = 1 + random.nextInt(8);
        for (int e = 0; e < edits || Arrays.equals(out, seed); e++) {
            out = edit(out, random);
        }
        return out;
    }

    private static byte[] edit(byte[] in, Random random) {
        if (in.length == 0) {
            return randomBytes(1 + random.nextInt(16), random);
        }
        int at = random.nextInt(in.length);
        switch (random.nextInt(6)) {
            case 0:
                in[at] ^= (byte) (1 << random.nextInt(8));
                return in;
            case 1:
                in[at] = (byte) random.nextInt(256);
                return in;
            case 2: {
                int len = 1 + random.nextInt(Math.min(64, in.length - at));
                byte[] out = new byte[in.length - len];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, at + len, out, at, in.length - at - len);
                return out;
            }
            case 3: {
                int len = 1 + random.nextInt(Math.min(64, in.length - at));
                byte[] out = new byte[in.length + len];
                System.arraycopy(in, 0, out, 0, at + len);
                System.arraycopy(in, at, out, at + len, in.length - at);
                return out;
            }
            case 4: {
                byte[] extra = randomBytes(1 + random.nextInt(16), random);
                byte[] out = new byte[in.length + extra.length];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(extra, 0, out, at, extra.length);
                System.arraycopy(in, at, out, at + extra.length, in.length - at);
                return out;
            }
            default:
                return Arrays.copyOf(in, at);
        }
    }

    private static byte[] randomBytes(int n, Random random) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
