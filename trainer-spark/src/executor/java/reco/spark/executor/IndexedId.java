package reco.spark.executor;

import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.Tuple2;

/** {@code (row whose first field is an id, position)} from {@code zipWithIndex} to {@code (id, index)}. */
public final class IndexedId implements Function<Tuple2<Row, Long>, Row> {
    private static final long serialVersionUID = 1L;

    @Override
    public Row call(Tuple2<Row, Long> rowAndIndex) {
        long index = rowAndIndex._2();
        if (index > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("more than " + (Integer.MAX_VALUE - 8) + " distinct ids; a generation indexes ids with 32-bit integers");
        }
        return RowFactory.create(rowAndIndex._1().getString(0), (int) index);
    }
}
