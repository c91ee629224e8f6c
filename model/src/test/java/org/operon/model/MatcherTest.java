package org.operon.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Alertmanager's matcher semantics, as a table. */
class MatcherTest {

    /** Labels are written {@code a=1,b=2}; {@code -} is the empty label set. */
    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        if (!text.equals("-")) {
            for (String pair : text.split(",")) {
                String[] kv = pair.split("=", 2);
                labels.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return labels;
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # matcher                 | labels                    | matches
            alertname="disk"          | alertname=disk            | true
            alertname="disk"          | alertname=disk-full       | false
            alertname="disk"          | -                         | false
            alertname!="disk"         | alertname=disk            | false
            alertname!="disk"         | alertname=cpu             | true
            alertname!="disk"         | -                         | true
            # an absent label is the empty string
            env=""                    | -                         | true
            env=""                    | env=prod                  | false
            env!=""                   | -                         | false
            env!=""                   | env=prod                  | true
            # regular expressions match the whole value (anchored)
            instance=~"web.*"         | instance=web-1            | true
            instance=~"web"           | instance=web-1            | false
            instance=~"web"           | instance=myweb            | false
            'instance=~"web-1|db-1"'  | instance=db-1             | true
            'instance=~"web-1|db-1"'  | instance=db-10            | false
            instance=~"web.*"         | -                         | false
            instance=~".*"            | -                         | true
            instance=~".+"            | -                         | false
            instance!~"web.*"         | instance=web-1            | false
            instance!~"web.*"         | instance=db-1             | true
            instance!~"web.*"         | -                         | true
            instance!~".+"            | -                         | true
            # a trailing line break is not swallowed by the anchor
            instance=~"web"           | instance=web\\n           | false
            """)
    void matchesLikeAlertmanager(String matcher, String labelText, boolean expected) {
        Map<String, String> labels = labels(labelText.replace("\\n", "\n"));

        assertThat(Matcher.parse(matcher).matches(labels)).isEqualTo(expected);
        assertThat(Matcher.parse(matcher).compile().test(labels)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            alertname="x"              | alertname | x        | false | true
            alertname=x                | alertname | x        | false | true
            {alertname="x"}            | alertname | x        | false | true
            '  env != "prod"  '        | env       | prod     | false | false
            'env=~"prod|stage"'        | env       | 'prod|stage' | true | true
            env!~dev.*                 | env       | dev.*    | true  | false
            msg="say \\"hi\\""         | msg       | say "hi" | false | true
            path=~"a\\.b"              | path      | a\\.b    | true  | true
            "odd name"="v"             | odd name  | v        | false | true
            empty=""                   | empty     | ''       | false | true
            """)
    void parsesAmtoolSyntax(String text, String name, String value, boolean isRegex, boolean isEqual) {
        assertThat(Matcher.parse(text)).isEqualTo(new Matcher(name, value, isRegex, isEqual));
    }

    @Test
    void printsAmtoolSyntaxThatParsesBack() {
        Matcher m = Matcher.notRegex("msg", "say \"hi\" \\d+");

        assertThat(m.toString()).isEqualTo("msg!~\"say \\\"hi\\\" \\\\d+\"");
        assertThat(Matcher.parse(m.toString())).isEqualTo(m);
        assertThat(Matcher.equal("a", "b").toString()).isEqualTo("a=\"b\"");
        assertThat(Matcher.notEqual("a", "b").operator()).isEqualTo("!=");
        assertThat(Matcher.regex("a", "b").operator()).isEqualTo("=~");
    }

    @Test
    void unparseableFiltersAreRefusedNamingTheText() {
        assertThatThrownBy(() -> Matcher.parse("alertname"))
                .isInstanceOf(InvalidMatcherException.class).hasMessageContaining("'alertname'")
                .hasMessageContaining("no operator");
        assertThatThrownBy(() -> Matcher.parse("=x")).isInstanceOf(InvalidMatcherException.class)
                .hasMessageContaining("no label name");
        assertThatThrownBy(() -> Matcher.parse("a=\"x")).isInstanceOf(InvalidMatcherException.class)
                .hasMessageContaining("not closed");
        assertThatThrownBy(() -> Matcher.parse("a=\"x\" b")).isInstanceOf(InvalidMatcherException.class)
                .hasMessageContaining("after the quoted value");
        assertThatThrownBy(() -> Matcher.parse("a=~\"(\""))
                .isInstanceOf(InvalidMatcherException.class)
                .satisfies(e -> assertThat(((InvalidMatcherException) e).field()).isEqualTo("matcher"))
                .hasMessageContaining("invalid regular expression \"(\"");
    }

    @Test
    void aRegexThatDoesNotCompileIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> Matcher.regex("instance", "web[")).isInstanceOf(InvalidMatcherException.class)
                .satisfies(e -> assertThat(((InvalidMatcherException) e).field()).isEqualTo("value"))
                .hasMessageContaining("invalid regular expression \"web[\"");
        assertThatThrownBy(() -> new Matcher("", "x", false, true)).isInstanceOf(InvalidMatcherException.class)
                .satisfies(e -> assertThat(((InvalidMatcherException) e).field()).isEqualTo("name"));
        assertThatThrownBy(() -> new Matcher("a", null, false, true)).isInstanceOf(InvalidMatcherException.class)
                .satisfies(e -> assertThat(((InvalidMatcherException) e).field()).isEqualTo("value"));
        // Not a regex: the same text is a plain value.
        assertThat(Matcher.equal("instance", "web[").matches(Map.of("instance", "web["))).isTrue();
    }

    @ParameterizedTest(name = "{0} matches empty: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a=""        | true
            a="x"       | false
            a=~".*"     | true
            'a=~"x|"'   | true
            a=~"x+"     | false
            a!=""       | false
            a!="x"      | false
            a!~"x"      | false
            a!~".*"     | false
            """)
    void matchesEmptyFollowsAlertmanagersRule(String matcher, boolean expected) {
        assertThat(Matcher.parse(matcher).matchesEmpty()).isEqualTo(expected);
    }
}
