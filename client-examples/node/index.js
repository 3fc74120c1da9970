// @reco-engine/reco-client: gRPC clients of the reco recommendation server for Node.js, built with
// @grpc/grpc-js from descriptor sets generated from reco's .proto files (npm run build).
//
//   const { RecommenderClient, credentials } = require('@reco-engine/reco-client');
//   const client = new RecommenderClient('localhost:50051', credentials.createInsecure());
//   client.SimilarItems({ item_id: '1', k: 5 }, { deadline: Date.now() + 2000 }, (err, reply) => ...);
//
// Messages use the .proto field names (item_id), int64 values arrive as strings, enums as their
// names (MODEL_ITEM_KNN), unset fields as their defaults. TypeScript types of every message and client
// are in generated/types (e.g. generated/types/reco/v1/SimilarItemsRequest).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

/** How messages map to JavaScript objects; generated/types were generated with the same options. */
const LOADER_OPTIONS = Object.freeze({
  keepCase: true, // field names exactly as in the .proto (item_id, not itemId)
  longs: String, // int64 counts arrive as strings: no precision loss above 2^53
  enums: String, // enum values by name (MODEL_ITEM_KNN)
  defaults: true, // unset proto3 fields read as their defaults (fallback: false)
  oneofs: true,
});

function load(name) {
  const file = path.join(__dirname, 'generated', name);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run npm run build in ${__dirname}`);
  }
  return protoLoader.loadFileDescriptorSetFromBuffer(fs.readFileSync(file), LOADER_OPTIONS);
}

const packageDefinition = { ...load('reco.binpb'), ...load('health.binpb') };
const api = grpc.loadPackageDefinition(packageDefinition);

module.exports = {
  /** reco.v1.Recommender: recommendations and model information. */
  RecommenderClient: api.reco.v1.Recommender,
  /** reco.v1.Admin: operator calls (loopback callers or the admin token only). */
  AdminClient: api.reco.v1.Admin,
  /** grpc.health.v1.Health: SERVING once a generation is loaded. */
  HealthClient: api.grpc.health.v1.Health,
  /** grpc-js credentials, re-exported so that callers need no second copy of grpc-js. */
  credentials: grpc.credentials,
  /** grpc-js status codes (error.code of a failed call). */
  status: grpc.status,
  packageDefinition,
  LOADER_OPTIONS,
};
