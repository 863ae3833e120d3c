package org.tandem.server;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Nothing that runs on a Netty event loop may block it: one blocked loop stalls every connection it serves
 * (CONVENTIONS: no blocking on event loops). The packages whose code runs on the loops (the connection's jobs, the
 * sessions, the login, the codecs' initializer, CHAP, negotiation, tasks) may not sleep, wait on a future or sync a Netty
 * future. TargetServer, which binds and closes the listeners from the launcher's thread, is the one exception.
 */
class EventLoopRulesTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.tandem.server");

    private static final Set<String> NETTY_WAITS = Set.of("sync", "syncUninterruptibly", "await",
            "awaitUninterruptibly");

    private static final DescribedPredicate<JavaMethodCall> BLOCKING = new DescribedPredicate<>(
            "a blocking call (Thread.sleep, Future.get or join, a Netty future's sync or await)") {
        @Override
        public boolean test(JavaMethodCall call) {
            JavaClass owner = call.getTargetOwner();
            String name = call.getName();
            return owner.isEquivalentTo(Thread.class) && name.equals("sleep")
                    || owner.isAssignableTo(java.util.concurrent.Future.class)
                    && (name.equals("get") || name.equals("join"))
                    || owner.isAssignableTo(io.netty.util.concurrent.Future.class) && NETTY_WAITS.contains(name);
        }
    };

    @Test
    void codeOnTheEventLoopsNeverBlocks() {
        noClasses().that().resideInAnyPackage("org.tandem.server.session..", "org.tandem.server.connection..",
                        "org.tandem.server.login..",
                        "org.tandem.server.net..", "org.tandem.server.auth..", "org.tandem.server.negotiation..",
                        "org.tandem.server.task..")
                .and().doNotHaveSimpleName("TargetServer")
                .should().callMethodWhere(BLOCKING)
                .because("a blocked event loop stalls every connection on it")
                .check(MAIN);
    }
}
