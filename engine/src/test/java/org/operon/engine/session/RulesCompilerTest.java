package org.operon.engine.session;

import org.junit.jupiter.api.Test;
import org.operon.engine.RuleInfo;
import org.operon.engine.RuleSource;
import org.operon.engine.RulesInvalidException;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reuse of the last compilation: only for byte-for-byte the same files. */
class RulesCompilerTest {

    private static RuleSource drl(String path, String ruleName) {
        String text = """
                package team.rules;
                import org.operon.model.Event;
                rule "%s"
                when
                    Event(type == "disk.full")
                then
                end
                """.formatted(ruleName);
        return new RuleSource(path, text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> userRules(CompiledRules rules) {
        return rules.rules().stream().filter(r -> !r.isPackaged()).map(RuleInfo::name).toList();
    }

    @Test
    void theSameFilesAreNotCompiledAgain() throws Exception {
        CompiledRules first = RulesCompiler.compile(List.of(drl("team/disk.drl", "disk full")));
        CompiledRules again = RulesCompiler.compile(List.of(drl("team/disk.drl", "disk full")));

        assertThat(again).isSameAs(first);
        assertThat(userRules(again)).containsExactly("disk full");
    }

    @Test
    void aChangedByteOrPathCompilesAgain() throws Exception {
        CompiledRules first = RulesCompiler.compile(List.of(drl("team/disk.drl", "disk full")));
        CompiledRules changed = RulesCompiler.compile(List.of(drl("team/disk.drl", "disk fulL")));
        CompiledRules moved = RulesCompiler.compile(List.of(drl("team/disk2.drl", "disk fulL")));

        assertThat(changed).isNotSameAs(first);
        assertThat(userRules(changed)).containsExactly("disk fulL");
        assertThat(moved).isNotSameAs(changed);
        assertThat(moved.rules()).filteredOn(r -> !r.isPackaged()).singleElement()
                .satisfies(r -> assertThat(r.origin()).isEqualTo("team/disk2.drl"));
    }

    @Test
    void aFailedCompilationKeepsTheLastGoodOne() throws Exception {
        CompiledRules good = RulesCompiler.compile(List.of(drl("team/disk.drl", "disk full")));
        RuleSource broken = new RuleSource("team/disk.drl", "rule \"x\" when then oops end".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> RulesCompiler.compile(List.of(broken))).isInstanceOf(RulesInvalidException.class);
        // Still refused the second time: a failure is never kept.
        assertThatThrownBy(() -> RulesCompiler.compile(List.of(broken))).isInstanceOf(RulesInvalidException.class);
        assertThat(RulesCompiler.compile(List.of(drl("team/disk.drl", "disk full")))).isSameAs(good);
    }

    @Test
    void noFilesMeansThePackagedRules() throws Exception {
        RulesCompiler.compile(List.of(drl("team/disk.drl", "disk full")));

        assertThat(RulesCompiler.compile(List.of())).isSameAs(CompiledRules.packaged());
        assertThat(RulesCompiler.compile(List.of(drl("team/disk.drl", "disk full"))).isPackagedOnly()).isFalse();
    }

    @Test
    void theDigestTellsPathFromContent() {
        byte[] ab = "ab".getBytes(StandardCharsets.UTF_8);
        byte[] b = "b".getBytes(StandardCharsets.UTF_8);
        // "a.drl" + "b" must differ from "a.drlb"-like splits and from another order.
        String one = RulesCompiler.digest(List.of(new RuleSource("x/a.drl", b), new RuleSource("x/b.drl", ab)));
        String swapped = RulesCompiler.digest(List.of(new RuleSource("x/b.drl", ab), new RuleSource("x/a.drl", b)));
        String same = RulesCompiler.digest(List.of(new RuleSource("x/a.drl", b), new RuleSource("x/b.drl", ab)));

        assertThat(one).isEqualTo(same).hasSize(64);
        assertThat(swapped).isNotEqualTo(one);
    }
}
