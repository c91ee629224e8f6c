package org.operon.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Types starting with "operon." are Operon's own: refused from outside, readable from the journal. */
class CloudEventJsonReservedTypeTest {
    private static final String ALERT_EVENT = """
            {"specversion":"1.0","id":"x1","source":"/api/v2/alerts","type":"operon.alert","subject":"abc",
             "data":{"labels":{"a":"b"}}}""";

    @Test
    void theIntakeMappingRefusesAReservedType() {
        CloudEventJson intake = new CloudEventJson().rejectingReservedTypes();

        assertThatThrownBy(() -> intake.fromJson(intake.parseTree(ALERT_EVENT)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.error()).isEqualTo("reserved_type");
                    assertThat(e.detail()).contains("operon.alert", "reserved");
                });
    }

    @Test
    void theIntakeMappingAcceptsOtherTypes() throws Exception {
        CloudEventJson intake = new CloudEventJson().rejectingReservedTypes();

        assertThat(intake.fromJson(intake.parseTree(ALERT_EVENT.replace("operon.alert", "operonalert"))).getType())
                .isEqualTo("operonalert");
    }

    @Test
    void thePlainMappingReadsReservedTypesBackFromTheJournal() throws Exception {
        CloudEventJson journal = new CloudEventJson();

        assertThat(journal.fromJson(journal.parseTree(ALERT_EVENT)).getType()).isEqualTo("operon.alert");
    }

    @Test
    void reservedMeansThePrefix() {
        assertThat(CloudEventJson.isReservedType("operon.alert")).isTrue();
        assertThat(CloudEventJson.isReservedType("operon.anything")).isTrue();
        assertThat(CloudEventJson.isReservedType("operon")).isFalse();
        assertThat(CloudEventJson.isReservedType("com.example.operon.alert")).isFalse();
        assertThat(CloudEventJson.isReservedType(null)).isFalse();
    }
}
