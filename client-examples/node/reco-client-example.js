#!/usr/bin/env node
// A walk through the reco.v1 gRPC API from Node.js, loading the .proto files at run time.
//
// Usage: node reco-client-example.js [address [item-id [user-id]]]   (defaults: localhost:50051 1 1)
//
// Every step prints one greppable line (e.g. `similar: item=1 k=5 got=5`), the same lines as the
// Java, Python and Go examples. Exit codes: 0 every step behaved as documented, 1 an unexpected
// status or answer, 2 bad command line.
'use strict';

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const DEFAULT_ADDRESS = 'localhost:50051';
const DEFAULT_ITEM_ID = '1';
const DEFAULT_USER_ID = '1';
// Ids no generation should contain: the server must answer the user with popular items and the item
// with NOT_FOUND.
const UNKNOWN_USER_ID = 'no-such-user-42';
const UNKNOWN_ITEM_ID = 'no-such-item';
const K = 5;
// Every call carries a deadline so that a stuck server cannot hang the client.
const DEADLINE_MILLIS = 2000;
// The health check is the first call; its deadline also covers connecting, which can take seconds on
// a busy machine.
const FIRST_CALL_DEADLINE_MILLIS = 10000;

const EXIT_OK = 0;
const EXIT_UNEXPECTED = 1;
const EXIT_USAGE = 2;

// The API's .proto lives in the Maven proto module; health.proto is the canonical grpc.health.v1
// definition, kept beside the examples (see ../third_party).
const PROTO_ROOT = path.resolve(__dirname, '../../proto/src/main/proto');
const THIRD_PARTY = path.resolve(__dirname, '../third_party');

const LOADER_OPTIONS = {
  keepCase: true, // field names exactly as in the .proto (item_id, not itemId)
  longs: String, // int64 counts arrive as strings: no precision loss above 2^53
  enums: String, // enum values by name (MODEL_ITEM_KNN)
  defaults: true, // unset proto3 fields read as their defaults (fallback: false)
  oneofs: true,
  includeDirs: [PROTO_ROOT, THIRD_PARTY],
};

/** A call succeeded, or failed with a status, that contradicts the documented contract. */
class UnexpectedAnswer extends Error {}

function loadClients(address) {
  const definition = protoLoader.loadSync(
    ['reco/v1/recommender.proto', 'grpc_health/v1/health.proto'],
    LOADER_OPTIONS,
  );
  const api = grpc.loadPackageDefinition(definition);
  // Plaintext to a local server; use grpc.credentials.createSsl() for anything else.
  const credentials = grpc.credentials.createInsecure();
  const recommender = new api.reco.v1.Recommender(address, credentials);
  // The health client shares the recommender's channel.
  const health = new api.grpc.health.v1.Health(address, credentials, {
    channelOverride: recommender.getChannel(),
  });
  return { recommender, health };
}

/** A unary call as a promise, with a fresh deadline (deadlines are absolute times). */
function unary(client, method, request, deadlineMillis = DEADLINE_MILLIS) {
  return new Promise((resolve, reject) => {
    client[method](request, { deadline: Date.now() + deadlineMillis }, (error, response) =>
      error ? reject(error) : resolve(response),
    );
  });
}

function statusName(code) {
  return grpc.status[code] ?? `code ${code}`;
}

function printItems(items) {
  items.forEach((item, index) => {
    console.log(
      `  ${index + 1}. item=${item.item_id} score=${item.score.toFixed(4)} title=${item.title}` +
        ` categories=${item.categories.join('|')}`,
    );
  });
}

/** A second item for the basket: the numeric successor in the demo catalogue, else the item again. */
function neighbourId(itemId) {
  return /^\d+$/.test(itemId) ? String(BigInt(itemId) + 1n) : itemId;
}

class Walkthrough {
  constructor({ recommender, health }) {
    this.recommender = recommender;
    this.health = health;
    this.step = 'connect';
  }

  async run(itemId, userId) {
    const steps = [
      ['health', () => this.checkHealth()],
      ['model-info', () => this.printModelInfo()],
      ['similar', () => this.similarItems(itemId)],
      ['user-known', () => this.recommendForUser(userId)],
      ['user-unknown', () => this.recommendForUnknownUser()],
      ['items', () => this.recommendForItems(itemId)],
      ['batch', () => this.batchSimilarItems(itemId)],
      ['error-not-found', () => this.expectNotFound()],
      ['error-invalid-argument', () => this.expectInvalidArgument(itemId)],
    ];
    for (const [step, action] of steps) {
      this.step = step;
      await action();
    }
  }

  async checkHealth() {
    const response = await unary(
      this.health,
      'Check',
      { service: 'reco.v1.Recommender' },
      FIRST_CALL_DEADLINE_MILLIS,
    );
    console.log(`health: ${response.status}`);
    if (response.status !== 'SERVING') {
      throw new UnexpectedAnswer(`server is ${response.status} (no model generation loaded yet?)`);
    }
  }

  async printModelInfo() {
    const info = await unary(this.recommender, 'GetModelInfo', {});
    console.log(
      `model-info: generation=${info.generation_id} items=${info.item_count} users=${info.user_count}` +
        ` interactions=${info.interaction_count} default_model=${info.default_model}`,
    );
  }

  async similarItems(itemId) {
    const response = await unary(this.recommender, 'SimilarItems', { item_id: itemId, k: K });
    console.log(`similar to ${await this.displayName(itemId)}:`);
    printItems(response.items);
    console.log(
      `similar: item=${itemId} k=${K} got=${response.items.length} served_by=${response.served_by}`,
    );
  }

  async recommendForUser(userId) {
    const response = await unary(this.recommender, 'RecommendForUser', { user_id: userId, k: K });
    console.log(`for user ${userId}:`);
    printItems(response.items);
    console.log(
      `user-known: user=${userId} got=${response.items.length} served_by=${response.served_by}` +
        ` fallback=${response.fallback}`,
    );
  }

  async recommendForUnknownUser() {
    const response = await unary(this.recommender, 'RecommendForUser', {
      user_id: UNKNOWN_USER_ID,
      k: K,
    });
    console.log(`for unknown user ${UNKNOWN_USER_ID}:`);
    printItems(response.items);
    // The reason is free text, so it goes last on the line.
    console.log(
      `user-unknown: fallback=${response.fallback} user=${UNKNOWN_USER_ID} got=${response.items.length}` +
        ` served_by=${response.served_by} reason=${response.fallback_reason}`,
    );
  }

  async recommendForItems(itemId) {
    const basket = [itemId, neighbourId(itemId)];
    const response = await unary(this.recommender, 'RecommendForItems', { item_ids: basket, k: K });
    console.log(`for items ${basket.join(',')}:`);
    printItems(response.items);
    console.log(
      `items: items=${basket.join(',')} got=${response.items.length} served_by=${response.served_by}`,
    );
  }

  /** A batch whose second query is for an unknown item: the batch succeeds and carries a per-query NOT_FOUND. */
  async batchSimilarItems(itemId) {
    const response = await unary(this.recommender, 'BatchSimilarItems', {
      requests: [
        { item_id: itemId, k: K, omit_metadata: true },
        { item_id: UNKNOWN_ITEM_ID, k: K },
      ],
    });
    const codes = response.results.map((result) => result.status_code);
    const ok = codes.filter((code) => code === grpc.status.OK).length;
    const notFound = codes.filter((code) => code === grpc.status.NOT_FOUND).length;
    console.log(`batch: results=${codes.length} ok=${ok} not_found=${notFound}`);
  }

  expectNotFound() {
    return this.expectStatus('error-not-found', grpc.status.NOT_FOUND, () =>
      unary(this.recommender, 'SimilarItems', { item_id: UNKNOWN_ITEM_ID, k: K }),
    );
  }

  expectInvalidArgument(itemId) {
    return this.expectStatus('error-invalid-argument', grpc.status.INVALID_ARGUMENT, () =>
      unary(this.recommender, 'SimilarItems', { item_id: itemId, k: 0 }),
    );
  }

  async expectStatus(step, expected, call) {
    try {
      await call();
    } catch (error) {
      if (error.code === expected) {
        console.log(`${statusName(expected)} as expected: ${error.details}`);
        console.log(`${step}: ok`);
        return;
      }
      throw new UnexpectedAnswer(
        `${step}: expected ${statusName(expected)}, got ${statusName(error.code)}: ${error.details}`,
      );
    }
    throw new UnexpectedAnswer(`${step}: expected ${statusName(expected)}, but the call succeeded`);
  }

  /**
   * The item's title, looked up with a one-item allow-list; the id when the server has no title for
   * it. Best effort: the example must not fail because of it.
   */
  async displayName(itemId) {
    try {
      const response = await unary(this.recommender, 'RecommendForItems', {
        item_ids: [itemId],
        k: 1,
        include_input_items: true,
        filter: { allow_item_ids: [itemId] },
      });
      const item = response.items.find((candidate) => candidate.item_id === itemId && candidate.title);
      return item ? item.title : itemId;
    } catch {
      return itemId;
    }
  }
}

async function main(argv) {
  if (argv.length > 3 || (argv.length > 0 && ['-h', '--help'].includes(argv[0]))) {
    console.error(
      'usage: reco-client-example.js [address [item-id [user-id]]]   (defaults: ' +
        `${DEFAULT_ADDRESS} ${DEFAULT_ITEM_ID} ${DEFAULT_USER_ID})`,
    );
    return EXIT_USAGE;
  }
  const [address = DEFAULT_ADDRESS, itemId = DEFAULT_ITEM_ID, userId = DEFAULT_USER_ID] = argv;
  const clients = loadClients(address);
  const walkthrough = new Walkthrough(clients);
  try {
    await walkthrough.run(itemId, userId);
    console.log('done');
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UnexpectedAnswer) {
      console.error(`FAILED at ${walkthrough.step}: ${error.message}`);
    } else if (error.code !== undefined && error.details !== undefined) {
      console.error(
        `FAILED at ${walkthrough.step}: unexpected status ${statusName(error.code)}: ${error.details}`,
      );
    } else {
      console.error(`FAILED at ${walkthrough.step}:`, error);
    }
    return EXIT_UNEXPECTED;
  } finally {
    clients.recommender.close();
  }
}

main(process.argv.slice(2)).then((exitCode) => {
  process.exitCode = exitCode;
});
