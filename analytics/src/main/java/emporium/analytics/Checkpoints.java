package emporium.analytics;

import java.io.IOException;
import java.util.Optional;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/** Finds the newest completed checkpoint (a chk-N folder with its _metadata) under the job's checkpoint folder. */
final class Checkpoints {
  private Checkpoints() {}

  static Optional<String> latest(String jobCheckpointDir) throws IOException {
    Path dir = new Path(jobCheckpointDir);
    FileSystem fs = dir.getFileSystem();
    if (!fs.exists(dir)) return Optional.empty();
    FileStatus[] entries = fs.listStatus(dir);
    if (entries == null) return Optional.empty();
    long best = -1;
    Path bestPath = null;
    for (FileStatus entry : entries) {
      String name = entry.getPath().getName();
      if (!name.matches("chk-\\d+")) continue;
      long id = Long.parseLong(name.substring(4));
      if (id > best && fs.exists(new Path(entry.getPath(), "_metadata"))) {
        best = id;
        bestPath = entry.getPath();
      }
    }
    return Optional.ofNullable(bestPath).map(Path::toString);
  }
}
