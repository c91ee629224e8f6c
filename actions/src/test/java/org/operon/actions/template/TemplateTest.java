package org.operon.actions.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class TemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "operon.test.template";

    /** Roots a, list, obj, flag, empty; a and flag have no fields. */
    private static final Vocabulary NAMES = new Vocabulary() {
        @Override
        public boolean hasRoot(String root) {
            return Set.of("a", "list", "obj", "flag", "empty", "nothing").contains(root);
        }

        @Override
        public Optional<String> check(List<String> path) {
            return Set.of("a", "flag").contains(path.get(0)) && path.size() > 1
                    ? Optional.of(path.get(0) + " has no fields") : Optional.empty();
        }

        @Override
        public String describe() {
            return "a, list, obj, flag, empty";
        }
    };

    private static JsonNode model() throws Exception {
        return JSON.readTree("""
                {"a": "x <b> & \\"q\\" {{a}}\\nnext", "flag": true, "empty": [], "nothing": null,
                 "list": [{"name": "one", "n": 1}, {"name": "two"}],
                 "obj": {"service": "checkout", "deep": {"k": "v"}, "names": ["p", "q"]}}
                """);
    }

    private static String render(String template, Format format) throws Exception {
        return Template.parse(template, KEY, format, NAMES).render(model());
    }

    @Test
    void variablesAreEscapedForTheirFormatAndNeverEvaluated() throws Exception {
        assertThat(render("{{a}}", Format.TEXT)).isEqualTo("x <b> & \"q\" {{a}}\nnext");
        assertThat(render("<p>{{a}}</p>", Format.HTML)).isEqualTo("<p>x &lt;b&gt; &amp; &quot;q&quot; {{a}}\nnext</p>");
        assertThat(render("{\"v\": \"{{a}}\"}", Format.JSON)).isEqualTo("{\"v\": \"x <b> & \\\"q\\\" {{a}}\\nnext\"}");
        assertThat(JSON.readTree(render("{\"v\": \"{{a}}\"}", Format.JSON)).path("v").asText())
                .isEqualTo("x <b> & \"q\" {{a}}\nnext");
        assertThat(render("{{a}}", Format.SLACK_MRKDWN)).isEqualTo("x &lt;b&gt; &amp; \"q\" {{a}}\nnext");
        assertThat(render("{{a}}", Format.HEADER)).isEqualTo("x <b> & \"q\" {{a}} next").doesNotContain("\n");
    }

    @Test
    void dottedNamesWalkIntoObjectsAndMissingValuesRenderEmpty() throws Exception {
        assertThat(render("{{obj.service}}/{{obj.deep.k}}/{{obj.nope}}/{{nothing}}/{{obj.deep}}", Format.TEXT))
                .isEqualTo("checkout/v///{\"k\":\"v\"}");
    }

    @Test
    void rawOutputInJsonIsAJsonValueAndIsRefusedWhereUnsafe() throws Exception {
        assertThat(JSON.readTree(render("{\"o\": {{{obj}}}, \"s\": {{{a}}}, \"m\": {{&obj.nope}}}", Format.JSON)))
                .isEqualTo(JSON.readTree("{\"o\": {\"service\": \"checkout\", \"deep\": {\"k\": \"v\"}, \"names\": [\"p\", \"q\"]},"
                        + " \"s\": \"x <b> & \\\"q\\\" {{a}}\\nnext\", \"m\": null}"));
        assertThat(render("{{{a}}}", Format.TEXT)).isEqualTo(render("{{a}}", Format.TEXT));
        for (Format unsafe : List.of(Format.HTML, Format.SLACK_MRKDWN, Format.HEADER)) {
            assertThatThrownBy(() -> Template.parse("<p>{{{a}}}</p>", KEY, unsafe, NAMES))
                    .hasMessageStartingWith(KEY).hasMessageContaining("raw output");
            assertThatThrownBy(() -> Template.parse("{{& a}}", KEY, unsafe, NAMES)).hasMessageContaining("raw output");
        }
    }

    @Test
    void sectionsRepeatForListsPushObjectsAndSkipFalseValues() throws Exception {
        assertThat(render("{{#list}}[{{name}}{{#n}}={{n}}{{/n}}]{{/list}}", Format.TEXT)).isEqualTo("[one=1][two]");
        assertThat(render("{{#obj}}{{service}} {{a}}{{/obj}}", Format.HEADER)).startsWith("checkout x <b>");
        assertThat(render("{{#obj.names}}{{.}},{{/obj.names}}", Format.TEXT)).isEqualTo("p,q,");
        assertThat(render("{{#flag}}yes{{/flag}}{{#empty}}never{{/empty}}{{#nothing}}never{{/nothing}}", Format.TEXT))
                .isEqualTo("yes");
        assertThat(render("{{^empty}}none{{/empty}}{{^flag}}never{{/flag}}{{^obj.nope}}missing{{/obj.nope}}", Format.TEXT))
                .isEqualTo("nonemissing");
    }

    @Test
    void aSectionOrCommentTagAloneOnItsLineTakesTheLine() throws Exception {
        String template = """
                Alerts:
                {{! one line per alert }}
                {{#list}}
                  - {{name}}
                {{/list}}
                End {{#flag}}inline{{/flag}}
                """;
        assertThat(render(template, Format.TEXT)).isEqualTo("Alerts:\n  - one\n  - two\nEnd inline\n");
    }

    @Test
    void syntaxErrorsAndUnknownNamesFailAtParseNamingTheKeyAndPlace() {
        assertThatThrownBy(() -> Template.parse("ok\nx {{a", KEY, Format.TEXT, NAMES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(KEY).hasMessageContaining("unclosed tag").hasMessageContaining("line 2, column 3");
        assertThatThrownBy(() -> Template.parse("{{#list}}x", KEY, Format.TEXT, NAMES))
                .hasMessageStartingWith(KEY).hasMessageContaining("unclosed section {{#list}}");
        assertThatThrownBy(() -> Template.parse("{{#list}}x{{/obj}}", KEY, Format.TEXT, NAMES))
                .hasMessageContaining("closes {{/obj}} but {{#list}} is open");
        assertThatThrownBy(() -> Template.parse("x{{/list}}", KEY, Format.TEXT, NAMES))
                .hasMessageContaining("never opened");
        assertThatThrownBy(() -> Template.parse("{{secret}}", KEY, Format.TEXT, NAMES))
                .hasMessageStartingWith(KEY).hasMessageContaining("unknown name {{secret}}").hasMessageContaining("known: a");
        assertThatThrownBy(() -> Template.parse("{{a.length}}", KEY, Format.TEXT, NAMES))
                .hasMessageContaining("a has no fields");
        assertThatThrownBy(() -> Template.parse("{{ T(java.lang.Runtime).exec('x') }}", KEY, Format.TEXT, NAMES))
                .hasMessageContaining("invalid name");
        assertThatThrownBy(() -> Template.parse("{{> partial}}", KEY, Format.TEXT, NAMES))
                .hasMessageContaining("partials are not supported");
        assertThatThrownBy(() -> Template.parse("{{=<% %>=}}", KEY, Format.TEXT, NAMES))
                .hasMessageContaining("delimiters");
        assertThatThrownBy(() -> Template.parse("{{.}}", KEY, Format.TEXT, NAMES))
                .hasMessageContaining("outside a section");
        assertThatThrownBy(() -> Template.parse("{{a {{b}}", KEY, Format.TEXT, NAMES))
                .hasMessageContaining("unclosed tag");
    }

    @Test
    void insideASectionAnUnknownRootIsAFieldOfTheItem() throws Exception {
        assertThat(render("{{#list}}{{name}}{{/list}}", Format.TEXT)).isEqualTo("onetwo");
        assertThatThrownBy(() -> Template.parse("{{name}}", KEY, Format.TEXT, NAMES)).hasMessageContaining("unknown name");
        // a known root is still checked inside a section
        assertThatThrownBy(() -> Template.parse("{{#list}}{{a.b}}{{/list}}", KEY, Format.TEXT, NAMES))
                .hasMessageContaining("a has no fields");
    }

    @Test
    void literalBracesOfJsonAreText() throws Exception {
        assertThat(render("{\"x\": {\"y\": \"{{obj.service}}\"}}", Format.JSON)).isEqualTo("{\"x\": {\"y\": \"checkout\"}}");
    }
}
