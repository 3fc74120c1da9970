package reco.spark;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The scala-library on the class path must be the one Spark was built with: an older one (which Maven's
 * nearest-wins picks through spark-mllib's dependencies unless the pom pins it) makes SparkContext start-up
 * fail with NoSuchMethodError. The build's enforcer rule (requireUpperBoundDeps on scala-library) catches the
 * same mismatch at dependency resolution; this checks what actually loads.
 */
class SparkScalaVersionTest {
    @Test
    void scalaLibraryIsTheOneSparkWasBuiltWith() throws Exception {
        // spark-core's own pom.properties names the Scala binary version only; its dependency on scala-library is
        // checked by the enforcer. Here: the loaded scala-library equals the version the pom pins for Spark.
        String pinned = System.getProperty("reco.scala.version");
        assertNotNull(pinned, "the pom passes reco.scala.version to the tests");
        assertEquals(pinned, scala.util.Properties.versionNumberString(), "scala-library on the class path");
        Properties sparkBuild = new Properties();
        try (InputStream in = org.apache.spark.SparkContext.class.getResourceAsStream("/spark-version-info.properties")) {
            assertNotNull(in, "spark-core carries spark-version-info.properties");
            sparkBuild.load(in);
        }
        assertEquals(System.getProperty("reco.spark.version"), sparkBuild.getProperty("version"), "Spark version");
        // the collection that failed before the pin: MurmurHash3.caseClassHash exists only from Scala 2.13.17 on
        assertNotNull(scala.util.hashing.MurmurHash3.class.getMethod("caseClassHash", scala.Product.class, int.class, String.class));
    }
}
