import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;
import reco.v1.ScoredItem;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * Asks a running `reco serve` for every user of a holdout-v1 test.tsv and writes the answers as a RECS file for
 * metrics.py (`user \t item1,item2,...`): what is scored is what is served.
 *
 *   java -cp 'cli/target/reco-cli.jar:cli/target/lib/*' benchmarks/scripts/ServedRecommendations.java \
 *       HOST:PORT TEST.tsv RECS.tsv [K [MODEL]]     (MODEL: als, hybrid, ...; default: the generation's default)
 */
public class ServedRecommendations {
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 3) {
            System.err.println("usage: ServedRecommendations HOST:PORT TEST.tsv RECS.tsv [K [MODEL]]");
            System.exit(2);
        }
        String[] target = args[0].split(":");
        int k = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        reco.v1.Model model = args.length > 4 ? reco.v1.Model.valueOf("MODEL_" + args[4].toUpperCase().replace('-', '_'))
                : reco.v1.Model.MODEL_UNSPECIFIED;
        Set<String> users = new LinkedHashSet<>();
        for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                users.add(line.split("\t", 2)[0]);
            }
        }
        ManagedChannel channel = NettyChannelBuilder.forAddress(target[0], Integer.parseInt(target[1])).usePlaintext().build();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8))) {
            var stub = RecommenderGrpc.newBlockingStub(channel);
            for (String user : users) {
                RecommendResponse r = stub.withDeadlineAfter(30, TimeUnit.SECONDS).recommendForUser(
                        RecommendForUserRequest.newBuilder().setUserId(user).setK(k).setModel(model).setOmitMetadata(true).build());
                StringJoiner items = new StringJoiner(",");
                for (ScoredItem item : r.getItemsList()) {
                    items.add(item.getItemId());
                }
                out.println(user + "\t" + items);
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        System.err.println("wrote recommendations for " + users.size() + " users to " + args[2]);
    }
}
