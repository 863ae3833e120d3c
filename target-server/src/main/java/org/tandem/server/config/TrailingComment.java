package org.tandem.server.config;

/**
 * IET's sample ietd.conf writes comments after values ({@code MaxConnections 1   # Number of connections/session}):
 * a word that starts with '#' after white space ends the directive. A '#' inside a word ({@code Path=/srv/a#1})
 * is part of the value.
 */
final class TrailingComment {
    private TrailingComment() {
    }

    /** The text before the first word that starts with '#', without surrounding white space. */
    static String strip(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                return text.substring(0, i).strip();
            }
        }
        return text.strip();
    }

    /** Whether a word begins a comment. */
    static boolean starts(String word) {
        return word.startsWith("#");
    }
}
