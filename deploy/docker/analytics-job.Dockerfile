# The Flink analytics job (analytics/): its classes and runtime jars on a Java 17 runtime, run as `npm start` runs it
# (a MiniCluster in one JVM). In production the job is submitted to Flink on Dataproc (analytics/README.md).
# Built from the repository root: `buildah bud -f deploy/docker/analytics-job.Dockerfile .`.
FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /build
COPY analytics/pom.xml ./
# The runtime jars first: this layer is reused until the pom changes.
RUN mvn -B -q dependency:copy-dependencies dependency:copy@gs-guava -DoutputDirectory=/build/lib -DincludeScope=runtime
COPY analytics/src src
RUN mvn -B -q -DskipTests compile

FROM eclipse-temurin:17.0.16_8-jre
WORKDIR /app
COPY --from=build /build/lib lib
COPY --from=build /build/target/classes classes
COPY platform/analytics/log4j2.properties log4j2.properties
USER 10001:10001
EXPOSE 5106 8081
CMD ["java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-Dlog4j2.configurationFile=file:/app/log4j2.properties", "-cp", "classes:lib/*", "emporium.analytics.AnalyticsJob"]
