package reco.trainer.eval;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order split.py's {@code id_key} gives a set of ids: by integer value when every id parses with
 * Python's {@code int()}, otherwise by code point. Ids are mapped to ranks; ids with equal keys (e.g.
 * {@code "7"} and {@code "07"}) share a rank, so a stable sort by rank keeps them in input order exactly
 * like Python's stable {@code sorted}.
 */
final class IdOrder {
    private final Map<String, Integer> rank;
    private final boolean numeric;

    IdOrder(Collection<String> distinctIds) {
        List<String> ids = new ArrayList<>(distinctIds);
        Map<String, BigInteger> values = new HashMap<>(ids.size() * 2);
        boolean allIntegers = true;
        for (String id : ids) {
            BigInteger value = PythonCompat.parseInt(id);
            if (value == null) {
                allIntegers = false;
                break;
            }
            values.put(id, value);
        }
        numeric = allIntegers;
        Comparator<String> order = numeric ? Comparator.comparing(values::get) : PythonCompat::compareCodePoints;
        ids.sort(order);
        rank = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            boolean tie = i > 0 && order.compare(ids.get(i - 1), ids.get(i)) == 0;
            rank.put(ids.get(i), tie ? rank.get(ids.get(i - 1)) : i);
        }
    }

    /** True when ids compare as integers. */
    boolean numeric() {
        return numeric;
    }

    /** The rank of an id given to the constructor. */
    int rank(String id) {
        Integer r = rank.get(id);
        if (r == null) {
            throw new IllegalArgumentException("unknown id: " + id);
        }
        return r;
    }
}
