import random
import uuid

from visits.sketch import REGISTERS, STANDARD_ERROR, Sketch


def ids(count, seed):
    return [uuid.UUID(int=(seed << 64) | n) for n in range(count)]


def test_small_and_large_sets_are_counted_within_three_standard_errors():
    for count in (0, 1, 50, 1_000, 20_000, 200_000):
        sketch = Sketch()
        for visitor_id in ids(count, seed=7):
            sketch.add(visitor_id)
        assert abs(sketch.count() - count) <= 3 * STANDARD_ERROR * max(count, 1), count


def test_merged_daily_sketches_count_the_union_not_the_sum():
    days = [ids(5_000, seed=1), ids(5_000, seed=1)[2_500:] + ids(2_500, seed=2)]
    sketches = []
    for day in days:
        sketch = Sketch()
        for visitor_id in day:
            sketch.add(visitor_id)
        sketches.append(Sketch(sketch.to_bytes()))
    assert abs(Sketch.merged(sketches).count() - 7_500) <= 3 * STANDARD_ERROR * 7_500


def test_merging_takes_each_registers_maximum():
    rng = random.Random(3)
    sketches = [bytes(rng.randrange(0, 53) for _ in range(REGISTERS)) for _ in range(40)]
    expected = bytes(max(column) for column in zip(*sketches, strict=True))
    assert Sketch.merged(sketches).to_bytes() == expected
    assert Sketch.merged(sketches[:1]).to_bytes() == sketches[0]
    assert Sketch.merged([]).count() == 0
