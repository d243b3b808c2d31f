package io.crvecdb.samples.rag.api;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.crvecdb.samples.rag.SampleProperties;

/**
 * Caps the size of request bodies, so that no client can make the application parse (and hold)
 * an arbitrarily large JSON document: a body whose declared length is over the limit fails with
 * {@link TooLargeException} before a byte of it is read; a body sent without a length (chunked)
 * fails when it reads past the limit. {@link ApiExceptionHandler} answers both with 413.
 */
@Component
class RequestSizeLimit extends OncePerRequestFilter {

    private final long maxBytes;

    RequestSizeLimit(SampleProperties properties) {
        this.maxBytes = properties.api().maxRequestSize().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new Limited(request), response);
    }

    private String tooLarge(long bytes) {
        return "The request body is " + (bytes < 0 ? "longer than" : bytes + " bytes; the limit is") + " " + this.maxBytes
                + " bytes (sample.api.max-request-size): send fewer or shorter documents per request";
    }

    /** Reading a body past the limit: answered with 413. */
    static final class TooLargeException extends IOException {

        TooLargeException(String message) {
            super(message);
        }
    }

    /** The request, with a body stream that fails past the limit. */
    private final class Limited extends HttpServletRequestWrapper {

        private ServletInputStream limited;

        Limited(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            long declared = getContentLengthLong();
            if (declared > RequestSizeLimit.this.maxBytes) {
                throw new TooLargeException(tooLarge(declared));
            }
            if (this.limited == null) {
                this.limited = new CountingStream(super.getInputStream());
            }
            return this.limited;
        }
    }

    private final class CountingStream extends ServletInputStream {

        private final ServletInputStream body;

        private long read;

        CountingStream(ServletInputStream body) {
            this.body = body;
        }

        @Override
        public int read() throws IOException {
            int b = this.body.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = this.body.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int bytes) throws TooLargeException {
            this.read += bytes;
            if (this.read > RequestSizeLimit.this.maxBytes) {
                throw new TooLargeException(tooLarge(-1));
            }
        }

        @Override
        public boolean isFinished() {
            return this.body.isFinished();
        }

        @Override
        public boolean isReady() {
            return this.body.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            this.body.setReadListener(listener);
        }
    }
}
