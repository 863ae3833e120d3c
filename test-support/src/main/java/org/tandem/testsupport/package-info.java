/**
 * Test-only helpers shared by the modules' unit tests (a test-scope dependency, never in a shipped jar): the JUnit
 * extension that turns Netty's leak reports into test failures.
 */
package org.tandem.testsupport;
