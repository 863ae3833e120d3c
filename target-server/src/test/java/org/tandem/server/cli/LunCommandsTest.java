package org.tandem.server.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** luns, add-lun, remove-lun, resize-lun, offline and online: a target's /luns resource. */
class LunCommandsTest extends AdminEndpointTestBase {
    private static final String LUN0 = "{\"lun\":0,\"type\":\"fileio\",\"sizeBytes\":10737418240,\"ioMode\":\"wt\","
            + "\"online\":true,\"commandsInFlight\":3,\"path\":\"/srv/disk0.img\"}";
    private static final String LUN1 = "{\"lun\":1,\"type\":\"nullio\",\"sizeBytes\":512,\"ioMode\":\"wb\","
            + "\"online\":false,\"commandsInFlight\":0,\"path\":null}";

    @Test
    void lunsOfOneTarget() {
        endpoint.answer("GET", "/targets/iqn.x%3Aa/luns", "[" + LUN0 + "," + LUN1 + "]");

        FakeAdminEndpoint.Run r = endpoint.run("luns", "iqn.x:a");

        assertThat(r.out()).isEqualTo(lunTable("iqn.x:a"));
    }

    @Test
    void lunsOfAllTargetsComeFromTheTargetList() {
        endpoint.answer("GET", "/targets", "[{\"name\":\"iqn.x:a\",\"luns\":[" + LUN0 + "]},"
                + "{\"name\":\"iqn.x:b\",\"luns\":[" + LUN1 + "]}]");

        FakeAdminEndpoint.Run r = endpoint.run("luns");

        assertThat(r.out()).isEqualTo(lunTable("iqn.x:b"));
    }

    /** LUN0 of iqn.x:a and LUN1 of {@code lun1Target} as the table shows them. */
    private static String lunTable(String lun1Target) {
        return """
                TARGET   LUN  TYPE    SIZE      MODE  STATE    IN-FLIGHT  PATH
                iqn.x:a  0    fileio  10.0 GiB  wt    online   3          /srv/disk0.img
                %s  1    nullio  512 B     wb    OFFLINE  0          -
                """.formatted(lun1Target);
    }

    @Test
    void addLunSendsOnlyTheOptionsGiven() {
        endpoint.answer("POST", "/targets/iqn.x%3Aa/luns", LUN0);

        FakeAdminEndpoint.Run r = endpoint.run("add-lun", "iqn.x:a", "--path", "disk0.img", "--create", "10G",
                "--block-size", "4096");

        assertThat(onlyRequest()).isEqualTo("POST /targets/iqn.x%3Aa/luns {\"path\":\"disk0.img\",\"blockSize\":4096,"
                + "\"createSize\":\"10G\"}");
        assertThat(r.out()).isEqualTo("LUN 0 added to iqn.x:a: fileio 10.0 GiB /srv/disk0.img\n");
    }

    @Test
    void addLunOfNullioHasNoPath() {
        endpoint.answer("POST", "/targets/iqn.x%3Aa/luns", LUN1);

        FakeAdminEndpoint.Run r = endpoint.run("add-lun", "iqn.x:a", "--type", "nullio", "--blocks", "1", "--lun",
                "1");

        assertThat(onlyRequest())
                .isEqualTo("POST /targets/iqn.x%3Aa/luns {\"lun\":1,\"type\":\"nullio\",\"blocks\":1}");
        assertThat(r.out()).isEqualTo("LUN 1 added to iqn.x:a: nullio 512 B\n");
    }

    @Test
    void removeLun() {
        endpoint.answer("DELETE", "/targets/iqn.x%3Aa/luns/2?force=true", "");

        FakeAdminEndpoint.Run r = endpoint.run("remove-lun", "iqn.x:a", "2", "--force");

        assertThat(r.out()).isEqualTo("LUN 2 removed from iqn.x:a\n");
    }

    @Test
    void resizeLunPatchesTheSize() {
        endpoint.answer("PATCH", "/targets/iqn.x%3Aa/luns/0", "{\"sizeBytes\":21474836480,\"blocks\":41943040}");

        FakeAdminEndpoint.Run r = endpoint.run("resize-lun", "iqn.x:a", "0", "20G");

        assertThat(onlyRequest()).isEqualTo("PATCH /targets/iqn.x%3Aa/luns/0 {\"size\":\"20G\"}");
        assertThat(r.out()).isEqualTo("LUN 0 of iqn.x:a is now 20.0 GiB (41943040 blocks)\n");
    }

    @Test
    void offlineAndOnlinePatchTheState() {
        endpoint.answer("PATCH", "/targets/iqn.x%3Aa/luns/1", LUN1);

        FakeAdminEndpoint.Run off = endpoint.run("offline", "iqn.x:a", "1");
        FakeAdminEndpoint.Run on = endpoint.run("online", "iqn.x:a", "1");

        assertThat(endpoint.requests()).extracting(FakeAdminEndpoint.Request::body)
                .containsExactly("{\"online\":false}", "{\"online\":true}");
        assertThat(off.out()).isEqualTo("LUN 1 of iqn.x:a is offline\n");
        assertThat(on.out()).isEqualTo("LUN 1 of iqn.x:a is online\n");
    }
}
