package org.tandem.server.auth;

import java.util.List;
import java.util.Map;

/** What one CHAP exchange step produced: keys to send, and whether authentication is finished or has failed. */
public record ChapStep(Outcome outcome, List<Map.Entry<String, String>> answer, String failure) {
    /** Where the exchange stands after a step. */
    public enum Outcome { CONTINUE, SUCCEEDED, FAILED }

    static ChapStep proceed(List<Map.Entry<String, String>> answer) {
        return new ChapStep(Outcome.CONTINUE, answer, null);
    }

    static ChapStep succeeded(List<Map.Entry<String, String>> answer) {
        return new ChapStep(Outcome.SUCCEEDED, answer, null);
    }

    static ChapStep failed(String why) {
        return new ChapStep(Outcome.FAILED, List.of(), why);
    }
}
