package org.tandem.server.login;

import org.tandem.iscsi.pdu.LoginStatus;

/** A login that cannot go on: the status to answer with and why, for the one log line. */
final class LoginFailure extends Exception {
    private final LoginStatus status;

    LoginFailure(LoginStatus status, String why) {
        super(why, null, false, false);
        this.status = status;
    }

    LoginStatus status() {
        return status;
    }
}
