package dev.sysextctl.builder.source.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Computes the sha256 of what is read through it and, when the stream ends, compares it with the digest the image
 * names for it: a mismatch is a {@link DigestMismatchException} at the end of the stream, so every reader that
 * drains a blob checks it. Skips read (every byte counts).
 */
final class DigestingInputStream extends FilterInputStream {
    private final MessageDigest sha256;
    private final String expected;
    private final String what;
    private boolean checked;
    private DigestMismatchException mismatch;

    /**
     * @param expected {@code sha256:HEX}, or null to pass the bytes through unchecked
     * @param what the blob in words, for the message ({@code layer 2 of 3 (sha256:…)})
     */
    DigestingInputStream(InputStream in, String expected, String what) {
        super(in);
        this.expected = expected;
        this.what = what;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this Java runtime", e);
        }
    }

    /** A blob whose bytes do not have the digest the image names. */
    static final class DigestMismatchException extends IOException {
        private static final long serialVersionUID = 1L;

        DigestMismatchException(String message) {
            super(message);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0 && expected != null) {
            sha256.update(b, off, n);
        } else if (n < 0) {
            check();
        }
        return n;
    }

    /** Skips by reading: every byte must be hashed. */
    @Override
    public long skip(long n) throws IOException {
        long left = n;
        byte[] buf = new byte[(int) Math.max(1, Math.min(8192, n))];
        for (int r; left > 0 && (r = read(buf, 0, (int) Math.min(buf.length, left))) > 0;) {
            left -= r;
        }
        return n - left;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void check() throws DigestMismatchException {
        if (checked || expected == null) {
            return;
        }
        checked = true;
        String got = digest();
        if (!got.equals(expected)) {
            mismatch = new DigestMismatchException(what + " does not match its digest (its bytes hash to " + got + ")");
            throw mismatch;
        }
    }

    /** The mismatch found when the stream ended, or null (none found, or not read to its end). */
    DigestMismatchException mismatch() {
        return mismatch;
    }

    /** Reads what is left, ignoring failures, so that the digest is checked; the mismatch, or null. */
    DigestMismatchException drainQuietly() {
        try {
            transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the mismatch, if any, is kept
        }
        return mismatch;
    }

    /** {@code sha256:HEX} of what was read (call once, at the end). */
    String digest() {
        return "sha256:" + HexFormat.of().formatHex(((MessageDigest) cloneDigest()).digest());
    }

    private Object cloneDigest() {
        try {
            return sha256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code sha256:HEX} of {@code bytes}. */
    static String of(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
