export { createKafka, createProducer, classifyKafkaError, unreachable } from './kafka-client.ts';
export { kafkaSource, headersToStrings, type KafkaSource, type KafkaSourceOptions } from './kafka-source.ts';
export { OffsetTracker, type PartitionOffset } from './offset-tracker.ts';
export { produceDeliveries, type ProduceOptions } from './produce-deliveries.ts';
export { routeOutcomes, type RouteOptions } from './route-outcomes.ts';
export { DeadLetterPublisher, deadLetterHeaderNames, deadLetterHeaders, parseDeadLetterHeaders, reasonOf, type Failure } from './dead-letter.ts';
export type { Delivery, OutgoingRecord } from './outgoing.ts';
export { applyTopicActions, describeTopics } from './topic-admin.ts';
