package org.operon.integration.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How a named webhook proves who sends: a bearer token, or an HMAC-SHA256 signature of the raw body in a
 * header (GitHub style: {@code X-Hub-Signature-256: sha256=<hex>}).
 *
 * <p>Comparisons take the same time whatever is presented: a token is compared by its SHA-256 digest,
 * a signature by its bytes, both with {@link MessageDigest#isEqual}. The secret never appears in
 * {@link #toString()}, logs or answers.
 */
public abstract sealed class WebhookAuth permits WebhookAuth.Bearer, WebhookAuth.HmacSha256 {
    /** The signature header GitHub and many others use. */
    public static final String DEFAULT_SIGNATURE_HEADER = "X-Hub-Signature-256";
    /** Shortest secret accepted, as for the API token. */
    public static final int MIN_SECRET_LENGTH = 16;

    /** A token sent as {@code Authorization: Bearer <token>}. */
    public static WebhookAuth bearer(String token) {
        return new Bearer(checkSecret(token, "bearer_token"));
    }

    /** A signature {@code sha256=<hex of HMAC-SHA256(secret, body)>} in {@code header}. */
    public static WebhookAuth hmacSha256(String secret, String header) {
        if (header == null || header.isBlank()) {
            throw new IllegalArgumentException("header must name the signature header, e.g. " + DEFAULT_SIGNATURE_HEADER);
        }
        return new HmacSha256(checkSecret(secret, "hmac_sha256_secret").getBytes(StandardCharsets.UTF_8), header);
    }

    private static String checkSecret(String secret, String field) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(field + " must have at least " + MIN_SECRET_LENGTH
                    + " characters (e.g. openssl rand -hex 32)");
        }
        return secret;
    }

    /**
     * True when the request carries the right credential.
     *
     * @param header the request's header value by (case-insensitive) name, or null
     * @param body   the raw request body as received
     */
    public abstract boolean permits(UnaryOperator<String> header, byte[] body);

    /** What the client must send, for the 401 detail; never the secret. */
    public abstract String requirement();

    static final class Bearer extends WebhookAuth {
        private static final String PREFIX = "Bearer ";
        private final byte[] digest;

        private Bearer(String token) {
            this.digest = sha256(token.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean permits(UnaryOperator<String> header, byte[] body) {
            String authorization = header.apply("Authorization");
            if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                return false;
            }
            byte[] presented = sha256(authorization.substring(PREFIX.length()).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(digest, presented);
        }

        @Override
        public String requirement() {
            return "this webhook requires the header 'Authorization: Bearer <token>' with its configured token";
        }

        @Override
        public String toString() {
            return "bearer token";
        }
    }

    static final class HmacSha256 extends WebhookAuth {
        private static final String PREFIX = "sha256=";
        private final SecretKeySpec key;
        private final String header;

        private HmacSha256(byte[] secret, String header) {
            this.key = new SecretKeySpec(secret, "HmacSHA256");
            this.header = header;
        }

        @Override
        public boolean permits(UnaryOperator<String> headers, byte[] body) {
            String value = headers.apply(header);
            if (value == null || !value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
                return false;
            }
            byte[] presented;
            try {
                presented = HexFormat.of().parseHex(value.substring(PREFIX.length()).trim().toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return false;
            }
            return MessageDigest.isEqual(sign(body), presented);
        }

        /** HMAC-SHA256 of {@code body} with the secret. */
        byte[] sign(byte[] body) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac.doFinal(body);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
            }
        }

        @Override
        public String requirement() {
            return "this webhook requires the header '" + header + ": sha256=<hex of HMAC-SHA256 of the body "
                    + "with its configured secret>'";
        }

        @Override
        public String toString() {
            return "HMAC-SHA256 signature in " + header;
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Objects.requireNonNull(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
