"""Containers changed by Python code that runs while Java converts them: the conversion sees the
container as it was when it began, and nothing crashes."""
import anyio
import jawait_hostile as h
import pytest


class ClearsWhenIndexed:
    """An int-like item whose __index__ empties the container it is in."""

    def __init__(self, value, container):
        self.value = value
        self.container = container

    def __index__(self):
        self.container.clear()
        return self.value

    def __float__(self):
        self.container.clear()
        return float(self.value)


def clearing_list(first, rest):
    items = []
    items.append(ClearsWhenIndexed(first, items))
    items.extend(rest)
    return items


def test_a_list_cleared_by_an_item_converts_as_it_was():
    values = clearing_list(7, [1, 2, 3] * 100)
    assert h.longs(values) == 7 + 600
    assert values == []  # the item did run, and did clear the list


def test_every_list_kind_of_parameter_survives_clearing():
    assert h.doubles(clearing_list(1, [0.5] * 50)) == 26.0
    assert h.longArray(clearing_list(4, [1] * 50)) == 54
    assert h.doubleArray(clearing_list(2, [1.0] * 50)) == 52.0


def test_a_dict_cleared_by_a_value_converts_as_it_was():
    values = {}
    values["a"] = ClearsWhenIndexed(10, values)
    values.update({f"k{i}": i for i in range(100)})
    assert h.longMap(values) == 10 + sum(range(100))
    assert values == {}


def test_items_that_replace_the_list_elsewhere():
    outer = [[1, 2], [3]]

    class Mutator:
        def __index__(self):
            outer[0][:] = [object()] * 1000
            outer.append([9] * 1000)
            return 5

    outer[1].append(Mutator())
    assert h.nestedLongs([[1, 2], [3, 4, 5]]) == [2, 3]
    assert h.nestedLongs(outer) == [2, 2]


def test_a_clearing_list_many_times():
    for i in range(200):
        assert h.longs(clearing_list(i, list(range(20)))) == i + sum(range(20))


@pytest.mark.anyio
async def test_async_functions_survive_clearing():
    values = clearing_list(3, [1] * 10)
    assert await h.longsLater(values) == 13
    with anyio.fail_after(30):
        for i in range(50):
            assert await h.longsLater(clearing_list(i, [2] * 5)) == i + 10
