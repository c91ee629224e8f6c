package org.operon.integration.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonExpressionTest {
    private static final JsonNode DOC = tree("""
            {"alerts":[{"labels":{"alertname":"A","a/b":"slash"}},{"labels":{"alertname":"B"}}],
             "a":{"b":"deep","n":null},"x-y":["first","last"],"it's":1,"n":7,"t":true}""");

    private static JsonNode tree(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> select(String expression) {
        return JsonExpression.parse(expression).select(DOC).stream()
                .map(n -> n.isValueNode() ? n.asText() : n.toString()).toList();
    }

    @Test
    void jsonPointerSelectsOneNode() {
        assertThat(select("/alerts/0/labels/alertname")).containsExactly("A");
        assertThat(select("/alerts/0/labels/a~1b")).containsExactly("slash");
        assertThat(select("/alerts/5/labels")).isEmpty();
    }

    @Test
    void dotsAndBracketsSelectMembersAndIndexes() {
        assertThat(select("$.a.b")).containsExactly("deep");
        assertThat(select("$['x-y'][0]")).containsExactly("first");
        assertThat(select("$[\"x-y\"][-1]")).containsExactly("last");
        assertThat(select("$['it\\'s']")).containsExactly("1");
        assertThat(select("$.n")).containsExactly("7");
        assertThat(select("$")).hasSize(1);
    }

    @Test
    void wildcardsSplitArraysAndObjects() {
        assertThat(select("$.alerts[*].labels.alertname")).containsExactly("A", "B");
        assertThat(select("$.alerts.*.labels.alertname")).containsExactly("A", "B");
        assertThat(select("$.a.*")).as("null member values are left out").containsExactly("deep");
    }

    @Test
    void missingNullAndMisfittingStepsSelectNothing() {
        assertThat(select("$.nope.deeper")).isEmpty();
        assertThat(select("$.a.n")).isEmpty();
        assertThat(select("$.alerts.labels")).as("a name on an array").isEmpty();
        assertThat(select("$.a[0]")).as("an index on an object").isEmpty();
        assertThat(select("$['x-y'][2]")).isEmpty();
        assertThat(JsonExpression.parse("$.nope").first(DOC)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "$..labels|recursive descent",
            "$.alerts[?(@.x)]|filters",
            "$.alerts[0:2]|slices",
            "$.alerts[0,1]|unions",
            "$.alerts[0|expected ']'",
            "$['x|unclosed quoted name",
            "$x|expected '.' or '['",
            "$.|expected a member name",
            "labels.alertname|not an expression"})
    void unsupportedSyntaxIsRefusedWithTheReason(String expression, String reason) {
        assertThatThrownBy(() -> JsonExpression.parse(expression))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason)
                .hasMessageContaining(expression);
    }

    @Test
    void onlyDollarAndSlashStartExpressions() {
        assertThat(JsonExpression.looksLikeExpression("$.a")).isTrue();
        assertThat(JsonExpression.looksLikeExpression("/a")).isTrue();
        assertThat(JsonExpression.looksLikeExpression("grafana.alert")).isFalse();
    }
}
