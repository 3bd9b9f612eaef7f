package io.ember.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The CSV files of one run, for scripts and spreadsheets to compare runs. */
final class CsvFiles {

  private CsvFiles() {}

  /** results.csv, sequential.csv (raw latencies) and completions.csv (the throughput curves). */
  static List<Path> write(Path dir, Results results, List<String[]> rows) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    Path summary = dir.resolve("results.csv");
    try (PrintWriter out = writer(summary)) {
      out.println("section,metric,statistic,value,unit,target,verdict");
      rows.forEach(r -> out.println(csv(r)));
    }
    written.add(summary);
    if (results.sequential() != null) {
      Path raw = dir.resolve("sequential.csv");
      try (PrintWriter out = writer(raw)) {
        out.println(
            "index,volume_id,post_ms,create_to_available_ms,create_to_notification_ms,"
                + "delete_to_404_ms,attach_ms,detach_ms");
        int i = 0;
        for (SequentialRun.Sample s : results.sequential().samples()) {
          out.println(
              csv(
                  Integer.toString(i++),
                  s.id(),
                  ms(s.post()),
                  ms(s.available()),
                  s.notification() == null ? "" : ms(s.notification()),
                  ms(s.deleteToGone()),
                  s.attach() == null ? "" : ms(s.attach()),
                  s.detach() == null ? "" : ms(s.detach())));
        }
      }
      written.add(raw);
    }
    if (!results.throughput().isEmpty()) {
      Path curves = dir.resolve("completions.csv");
      try (PrintWriter out = writer(curves)) {
        out.println("run,phase,concurrency,completed,t_ms");
        for (ThroughputRun.Result r : results.throughput()) {
          for (ThroughputRun.Phase p : List.of(r.create(), r.delete())) {
            int n = 0;
            for (long t : p.completions()) {
              out.println(
                  csv(
                      r.load().toString(),
                      p.name(),
                      Integer.toString(p.concurrency()),
                      Integer.toString(++n),
                      ms(t)));
            }
          }
        }
      }
      written.add(curves);
    }
    return written;
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }

  private static String csv(String... fields) {
    StringBuilder out = new StringBuilder();
    for (String f : fields) {
      if (out.length() > 0) {
        out.append(',');
      }
      boolean quote = f.contains(",") || f.contains("\"") || f.contains("\n");
      out.append(quote ? '"' + f.replace("\"", "\"\"") + '"' : f);
    }
    return out.toString();
  }

  private static PrintWriter writer(Path path) throws IOException {
    return new PrintWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8));
  }
}
