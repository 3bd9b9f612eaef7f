package io.ember.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The PNG: (a) the sequential latency distribution as cumulative curves, (b) volumes settled over
 * time in each throughput run. Drawn with Java2D so the benchmark needs no charting library.
 */
final class Charts {

  private static final int WIDTH = 1600;
  private static final int HEIGHT = 720;
  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0x9467bd),
    new Color(0xff7f0e),
    new Color(0x8c564b)
  };
  private static final Stroke SOLID = new BasicStroke(2f);
  private static final Stroke DASHED =
      new BasicStroke(
          2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0);
  private static final Stroke GUIDE =
      new BasicStroke(
          1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0);

  /** One curve; {@code step} draws it as a staircase (a CDF). */
  private record Series(
      String label, double[] xs, double[] ys, Color color, boolean dashed, boolean step) {}

  /** A labelled vertical guide line: a target. */
  private record Guide(double x, String label) {}

  private Charts() {}

  static void write(Path png, Results results) throws IOException {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(Color.DARK_GRAY);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      g.drawString(
          "Ember bench  "
              + results.options().url
              + "  "
              + results.startedAt()
              + "  "
              + results.machine(),
          20,
          22);
      Rectangle left = new Rectangle(80, 70, WIDTH / 2 - 130, HEIGHT - 190);
      Rectangle right = new Rectangle(WIDTH / 2 + 70, 70, WIDTH / 2 - 130, HEIGHT - 190);
      latencyPanel(g, left, results.sequential());
      completionsPanel(g, right, results.throughput());
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", png.toFile());
  }

  private static void latencyPanel(Graphics2D g, Rectangle area, SequentialRun.Result seq) {
    String title = "(a) sequential latency distribution";
    if (seq == null || seq.samples().isEmpty()) {
      empty(g, area, title, "sequential run skipped or failed");
      return;
    }
    title += " (" + seq.samples().size() + " volumes)";
    List<Series> series = new ArrayList<>();
    addCdf(series, "create -> available (GET poll)", seq.createToAvailable(), PALETTE[0]);
    if (seq.notificationsMeasured()) {
      addCdf(series, "create -> volume.create.end", seq.createToNotification(), PALETTE[2]);
    }
    addCdf(series, "POST -> 202", seq.post(), PALETTE[3]);
    addCdf(series, "DELETE -> 404 (GET poll)", seq.deleteToGone(), PALETTE[1]);
    double min = series.stream().mapToDouble(s -> s.xs()[0]).min().orElse(1);
    double max = series.stream().mapToDouble(s -> s.xs()[s.xs().length - 1]).max().orElse(1);
    // Logarithmic: sub-millisecond POSTs, the targets and multi-second outliers all stay legible.
    Axis x = Axis.log(Math.min(min, Targets.CREATE_P50_MS), Math.max(max, Targets.CREATE_P99_MS));
    List<Guide> guides =
        List.of(
            new Guide(Targets.CREATE_P50_MS, "p50 target"),
            new Guide(Targets.CREATE_P99_MS, "p99 target"));
    plot(
        g,
        area,
        title,
        "milliseconds (log scale)",
        "% of volumes at or below",
        series,
        x,
        Axis.linear(100),
        guides);
  }

  private static void addCdf(List<Series> series, String label, Stats stats, Color color) {
    if (stats.isEmpty()) {
      return;
    }
    double[] xs = stats.sortedMillis();
    double[] ys = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      ys[i] = 100.0 * (i + 1) / xs.length;
    }
    series.add(new Series(label, xs, ys, color, false, true));
  }

  private static void completionsPanel(
      Graphics2D g, Rectangle area, List<ThroughputRun.Result> runs) {
    String title = "(b) throughput: volumes available (creates) or gone (deletes) over time";
    if (runs.isEmpty()) {
      empty(g, area, title, "throughput runs skipped");
      return;
    }
    List<Series> series = new ArrayList<>();
    double xMax = 0;
    double yMax = 0;
    int color = 0;
    for (ThroughputRun.Result r : runs) {
      Color c = PALETTE[color++ % PALETTE.length];
      for (ThroughputRun.Phase p : List.of(r.create(), r.delete())) {
        List<Long> done = p.completions();
        double[] xs = new double[done.size() + 1];
        double[] ys = new double[done.size() + 1];
        for (int i = 0; i < done.size(); i++) {
          xs[i + 1] = done.get(i) / 1e9;
          ys[i + 1] = i + 1;
        }
        String label =
            String.format(
                Locale.ROOT,
                "%d %s, concurrency %d: %.0f/s",
                p.count(),
                p.name().equals("create") ? "creates" : "deletes",
                p.concurrency(),
                p.perSecond());
        series.add(new Series(label, xs, ys, c, p.name().equals("delete"), true));
        xMax = Math.max(xMax, p.elapsedNanos() / 1e9);
        yMax = Math.max(yMax, p.count());
      }
    }
    plot(
        g,
        area,
        title,
        "seconds since the run started",
        "volumes",
        series,
        Axis.linear(xMax),
        Axis.linear(yMax),
        List.of());
  }

  private static void plot(
      Graphics2D g,
      Rectangle area,
      String title,
      String xLabel,
      String yLabel,
      List<Series> series,
      Axis x,
      Axis y,
      List<Guide> guides) {
    axes(g, area, title, xLabel, yLabel, x, y);
    Graphics2D clipped = (Graphics2D) g.create();
    try {
      clipped.clip(new Rectangle(area.x, area.y - 1, area.width + 1, area.height + 2));
      for (Guide guide : guides) {
        int px = x.pixel(guide.x(), area.x, area.width);
        clipped.setColor(Color.GRAY);
        clipped.setStroke(GUIDE);
        clipped.drawLine(px, area.y, px, area.y + area.height);
        clipped.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        clipped.drawString(guide.label(), px + 4, area.y + 14);
      }
      for (Series s : series) {
        clipped.setColor(s.color());
        clipped.setStroke(s.dashed() ? DASHED : SOLID);
        clipped.draw(path(area, s, x, y));
      }
    } finally {
      clipped.dispose();
    }
    legend(g, area, series);
  }

  private static Path2D path(Rectangle area, Series s, Axis x, Axis y) {
    Path2D.Double path = new Path2D.Double();
    double prevY = s.step() ? 0 : s.ys()[0];
    path.moveTo(x.pixel(s.xs()[0], area.x, area.width), py(area, y, prevY));
    for (int i = 0; i < s.xs().length; i++) {
      int px = x.pixel(s.xs()[i], area.x, area.width);
      if (s.step()) {
        path.lineTo(px, py(area, y, prevY));
      }
      path.lineTo(px, py(area, y, s.ys()[i]));
      prevY = s.ys()[i];
    }
    return path;
  }

  /** Screen y grows downwards. */
  private static int py(Rectangle area, Axis y, double value) {
    return 2 * area.y + area.height - y.pixel(value, area.y, area.height);
  }

  private static void axes(
      Graphics2D g, Rectangle area, String title, String xLabel, String yLabel, Axis x, Axis y) {
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.setColor(Color.BLACK);
    g.drawString(title, area.x, area.y - 14);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    for (double v : x.ticks()) {
      int px = x.pixel(v, area.x, area.width);
      g.setColor(new Color(0xeeeeee));
      g.drawLine(px, area.y, px, area.y + area.height);
      g.setColor(Color.DARK_GRAY);
      String text = Axis.label(v);
      g.drawString(text, px - fm.stringWidth(text) / 2, area.y + area.height + 18);
    }
    for (double v : y.ticks()) {
      int pyv = py(area, y, v);
      g.setColor(new Color(0xeeeeee));
      g.drawLine(area.x, pyv, area.x + area.width, pyv);
      g.setColor(Color.DARK_GRAY);
      String text = Axis.label(v);
      g.drawString(text, area.x - 8 - fm.stringWidth(text), pyv + 4);
    }
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(area.x, area.y, area.width, area.height);
    g.drawString(
        xLabel, area.x + (area.width - fm.stringWidth(xLabel)) / 2, area.y + area.height + 40);
    Graphics2D rotated = (Graphics2D) g.create();
    try {
      rotated.rotate(-Math.PI / 2);
      rotated.drawString(
          yLabel, -(area.y + (area.height + fm.stringWidth(yLabel)) / 2), area.x - 50);
    } finally {
      rotated.dispose();
    }
  }

  /** Below the x-axis label, two entries a row: inside the plot it would hide some curve. */
  private static void legend(Graphics2D g, Rectangle area, List<Series> series) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    int columnWidth = area.width / 2;
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      int x = area.x + (i % 2) * columnWidth;
      int y = area.y + area.height + 66 + (i / 2) * 20;
      g.setColor(s.color());
      g.setStroke(s.dashed() ? DASHED : SOLID);
      g.drawLine(x, y - 4, x + 24, y - 4);
      g.setColor(Color.BLACK);
      g.drawString(s.label(), x + 30, y);
    }
  }

  private static void empty(Graphics2D g, Rectangle area, String title, String why) {
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.setColor(Color.BLACK);
    g.drawString(title, area.x, area.y - 14);
    g.setColor(Color.LIGHT_GRAY);
    g.drawRect(area.x, area.y, area.width, area.height);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.setColor(Color.GRAY);
    g.drawString(why, area.x + 20, area.y + area.height / 2);
  }

  /** A value range mapped onto pixels, linear from 0 or logarithmic (1-2-5 ticks per decade). */
  private record Axis(double min, double max, boolean log) {

    static Axis linear(double max) {
      return new Axis(0, niceCeil(max), false);
    }

    static Axis log(double min, double max) {
      double low = Math.pow(10, Math.floor(Math.log10(Math.max(min, 1e-3))));
      double high = low;
      while (high < max) {
        high = next125(high);
      }
      return new Axis(low, Math.max(high, next125(low)), true);
    }

    int pixel(double value, int origin, int length) {
      double f =
          log
              ? (Math.log10(Math.max(value, min)) - Math.log10(min))
                  / (Math.log10(max) - Math.log10(min))
              : (value - min) / (max - min);
      return origin + (int) Math.round(f * length);
    }

    List<Double> ticks() {
      List<Double> ticks = new ArrayList<>();
      if (log) {
        for (double v = min; v <= max * 1.0001; v = next125(v)) {
          ticks.add(v);
        }
      } else {
        double step = niceStep(max / 8);
        for (int i = 0; i * step <= max * 1.0001; i++) {
          ticks.add(i * step);
        }
      }
      return ticks;
    }

    static String label(double value) {
      return BigDecimal.valueOf(value)
          .round(new MathContext(6))
          .stripTrailingZeros()
          .toPlainString();
    }

    /** 1 → 2 → 5 → 10 → 20 ... (exact for the powers of ten this starts from). */
    private static double next125(double value) {
      double power = Math.pow(10, Math.floor(Math.log10(value) + 1e-9));
      double mantissa = Math.round(value / power);
      return mantissa < 2 ? 2 * power : mantissa < 5 ? 5 * power : 10 * power;
    }
  }

  /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
  static double niceStep(double raw) {
    if (!(raw > 0)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * power >= raw) {
        return m * power;
      }
    }
    return 10 * power;
  }

  /** The smallest multiple of a nice step at or above {@code value}. */
  static double niceCeil(double value) {
    if (!(value > 0)) {
      return 1;
    }
    double step = niceStep(value / 10);
    return Math.ceil(value / step) * step;
  }
}
