/**
 * Functions Spark ships to executors. Compiled for Java 17 (see the module's pom), because cluster JVMs
 * are often older than the driver's: everything a closure or a UDF references must live here, never in
 * the driver's code.
 */
package reco.spark.executor;
