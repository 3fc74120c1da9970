package reco.server;

import reco.v1.RecommenderGrpc;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@link RecoServer} serving the generation {@code root/CURRENT} names, in-process with
 * {@code directExecutor()}, and a channel to it: the fixture the service tests share.
 */
final class InProcessServer implements AutoCloseable {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ModelHolder models;
    final RecoServer server;
    final ManagedChannel channel;

    private InProcessServer(Path root) throws IOException {
        models = new ModelHolder(root, registry);
        models.loadCurrent();
        String name = InProcessServerBuilder.generateName();
        server = new RecoServer(InProcessServerBuilder.forName(name).directExecutor(), models, registry).start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    static InProcessServer start(Path root) throws IOException {
        return new InProcessServer(root);
    }

    RecommenderGrpc.RecommenderBlockingStub stub() {
        return RecommenderGrpc.newBlockingStub(channel);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        server.shutdown(Duration.ofSeconds(1));
    }
}
