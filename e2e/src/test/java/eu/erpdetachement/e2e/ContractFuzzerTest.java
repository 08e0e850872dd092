package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The fuzzer's cases, without a stack: bounded, replayable from the seed, and covering every route. */
class ContractFuzzerTest {

    private final ContractFuzzer fuzzer = ContractFuzzer.load();

    @Test
    void the_same_seed_gives_the_same_cases_and_the_count_is_bounded() {
        List<String> first = fuzzer.cases(42, 40).stream().map(ContractFuzzer.Case::describe).toList();
        List<String> again = fuzzer.cases(42, 40).stream().map(ContractFuzzer.Case::describe).toList();

        assertThat(first).isEqualTo(again);
        assertThat(first.size()).isBetween(1000, 6000);
        System.out.println("ContractFuzzer: " + first.size() + " cases for seed 42");
    }

    @Test
    void every_operation_parameter_and_body_field_is_a_target() {
        List<ContractFuzzer.Case> cases = fuzzer.cases(7, 0);
        for (ContractFuzzer.Operation op : fuzzer.operations()) {
            assertThat(cases).as(op.operationId()).anyMatch(c -> c.operation() == op);
            op.parameters().forEach(p -> assertThat(cases).as(op.operationId() + " " + p.name())
                    .anyMatch(c -> c.mutations().containsKey(p.in() + ":" + p.name())));
            if (!"GET".equals(op.method())) {
                op.bodyFields().forEach(f -> assertThat(cases).as(op.operationId() + " " + f.name())
                        .anyMatch(c -> c.mutations().containsKey("body:" + f.name())));
            }
        }
        assertThat(fuzzer.operations()).hasSizeGreaterThanOrEqualTo(20);
    }
}
