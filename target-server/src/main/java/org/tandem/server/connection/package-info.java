/**
 * One connection in full feature phase (RFC 7143 sections 3, 4 and 11), by job: {@link
 * org.tandem.server.connection.FullFeatureHandler} takes each PDU through CmdSN ordering ({@link
 * org.tandem.server.connection.OrderedReceiver}) to the class that acts on it: the task set and its aborts
 * ({@link org.tandem.server.connection.TaskSet}, {@link org.tandem.server.connection.TaskManagement}), Data-In
 * ({@link org.tandem.server.connection.DataInSequence}), NOP, Text, Logout, asynchronous messages and Reject. It
 * sits above {@code session}: a session sees its connections only as {@link
 * org.tandem.server.session.SessionConnection}.
 */
package org.tandem.server.connection;
