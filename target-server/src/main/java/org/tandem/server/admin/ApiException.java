package org.tandem.server.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

/** An HTTP error answer: its status, a short error name and a detail that tells the caller what to fix. */
class ApiException extends Exception {
    private final HttpResponseStatus status;
    private final String error;

    ApiException(HttpResponseStatus status, String error, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.error = error;
    }

    HttpResponseStatus status() {
        return status;
    }

    String error() {
        return error;
    }

    static ApiException badRequest(String detail) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, "bad request", detail);
    }

    static ApiException notFound(String detail) {
        return new ApiException(HttpResponseStatus.NOT_FOUND, "not found", detail);
    }
}
