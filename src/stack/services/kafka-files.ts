import { randomBytes } from 'node:crypto';

/** The pom whose runtime dependencies are the broker's classpath. */
export function kafkaPom(versions: { kafka: string; log4j: string; slf4j: string }): string {
  const dep = (g: string, a: string, v: string): string => `    <dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  return [
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    '  <modelVersion>4.0.0</modelVersion>',
    '  <groupId>entropylong.stack</groupId>',
    '  <artifactId>kafka-runtime</artifactId>',
    '  <version>1</version>',
    '  <packaging>pom</packaging>',
    '  <dependencies>',
    dep('org.apache.kafka', 'kafka_2.13', versions.kafka),
    // The broker logs through SLF4J; log4j-slf4j2-impl is the provider and needs slf4j-api 2.x
    // (Maven would otherwise pick the 1.7 that Kafka declares).
    dep('org.slf4j', 'slf4j-api', versions.slf4j),
    dep('org.apache.logging.log4j', 'log4j-slf4j2-impl', versions.log4j),
    dep('org.apache.logging.log4j', 'log4j-core', versions.log4j),
    '  </dependencies>',
    '</project>',
    '',
  ].join('\n');
}

/**
 * KRaft combined mode on one node, loopback only. Internal topics have replication factor 1 so
 * consumer groups and transactions work on a single broker.
 */
export function kafkaServerProperties(o: { port: number; controllerPort: number; dataDir: string }): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=127.0.0.1:${o.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${o.port},CONTROLLER://127.0.0.1:${o.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${o.port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${o.dataDir}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // Topics come from topics/ through `entropylong topics apply`, never by accident.
    'auto.create.topics.enable=false',
    'delete.topic.enable=true',
    '',
  ].join('\n');
}

/** Broker log to stdout (which `stack` appends to kafka.log); chatty loggers turned down. */
export const kafkaLog4j2Xml = `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <Console name="STDOUT" target="SYSTEM_OUT">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Logger name="org.apache.kafka.common.config.AbstractConfig" level="WARN"/>
    <Logger name="kafka.server.KafkaConfig" level="WARN"/>
    <Logger name="state.change.logger" level="WARN"/>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Root level="INFO"><AppenderRef ref="STDOUT"/></Root>
  </Loggers>
</Configuration>
`;

/** A cluster id as Kafka's Uuid.toString prints one (URL-safe base64 of 16 bytes, no padding, not starting with '-'). */
export function newKafkaClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
