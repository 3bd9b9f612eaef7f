package io.ember.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A minimal HTTP/1.1 client for plain {@code http://} endpoints: each call borrows a kept-alive
 * connection, writes the request and reads the answer on the calling thread. The JDK's client hands
 * every request through its selector thread and executor, which on two shared cores cost the
 * benchmark about 0.2 cores, taken from the stack it measures.
 */
final class KeepAliveHttp {

  /** Status and body of an answer. */
  record Answer(int status, String body) {}

  private static final int TIMEOUT_MS = 30_000;

  private final String host;
  private final int port;
  private final String hostHeader;
  private final String[] headers;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();

  /**
   * @param base an {@code http://host[:port]} URL
   * @param headers name/value pairs sent with every request
   */
  KeepAliveHttp(URI base, String... headers) {
    this.host = base.getHost();
    this.port = base.getPort() < 0 ? 80 : base.getPort();
    this.hostHeader = base.getPort() < 0 ? host : host + ":" + port;
    this.headers = headers.clone();
  }

  /** Whether this client can talk to {@code url} (TLS is left to the JDK's client). */
  static boolean handles(String url) {
    return url.startsWith("http://");
  }

  Answer send(String method, String pathAndQuery, String jsonBody) throws IOException {
    byte[] request = request(method, pathAndQuery, jsonBody);
    Connection reused = idle.pollFirst();
    if (reused != null) {
      try {
        return exchange(reused, request);
      } catch (StaleConnection stale) {
        // The server closed the idle connection before it saw this request: send it on a new one.
        reused.close();
      }
    }
    return exchange(new Connection(host, port), request);
  }

  private Answer exchange(Connection connection, byte[] request) throws IOException {
    boolean keep = false;
    try {
      try {
        connection.out.write(request);
        connection.out.flush();
      } catch (IOException closed) {
        throw new StaleConnection();
      }
      Answer answer = connection.read();
      keep = connection.keepAlive;
      return answer;
    } finally {
      if (keep) {
        idle.addFirst(connection);
      } else {
        connection.close();
      }
    }
  }

  private byte[] request(String method, String pathAndQuery, String jsonBody) {
    StringBuilder head = new StringBuilder(256);
    head.append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(hostHeader).append("\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
    if (jsonBody != null) {
      head.append("Content-Type: application/json\r\n");
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[start.length + body.length];
    System.arraycopy(start, 0, all, 0, start.length);
    System.arraycopy(body, 0, all, start.length, body.length);
    return all;
  }

  /** The connection was closed before any of the answer arrived. */
  private static final class StaleConnection extends IOException {
    private static final long serialVersionUID = 1L;

    StaleConnection() {
      super("connection closed by the server");
    }
  }

  private static final class Connection {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    boolean keepAlive;

    Connection(String host, int port) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(TIMEOUT_MS);
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      out = socket.getOutputStream();
    }

    Answer read() throws IOException {
      String statusLine = line(true);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.x answer: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      keepAlive = !parts[0].equals("HTTP/1.0");
      long length = -1;
      boolean chunked = false;
      for (String header = line(false); !header.isEmpty(); header = line(false)) {
        int colon = header.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "connection" -> keepAlive = !value.equalsIgnoreCase("close");
          default -> {}
        }
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (status == 204 || status == 304 || status / 100 == 1) {
        // No body by definition (os-complete answers 204), whatever the headers say.
        return new Answer(status, "");
      }
      if (chunked) {
        for (long size = chunkSize(); size > 0; size = chunkSize()) {
          copy(size, body);
          line(false);
        }
        for (String trailer = line(false); !trailer.isEmpty(); trailer = line(false)) {
          // trailers are not used
        }
      } else if (length >= 0) {
        copy(length, body);
      } else {
        // Neither length nor chunks: the body runs to the end of the connection.
        in.transferTo(body);
        keepAlive = false;
      }
      return new Answer(status, body.toString(StandardCharsets.UTF_8));
    }

    private long chunkSize() throws IOException {
      String size = line(false);
      int extension = size.indexOf(';');
      return Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
    }

    private void copy(long length, ByteArrayOutputStream to) throws IOException {
      byte[] buffer = new byte[8192];
      long left = length;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new EOFException("answer ended " + left + " bytes early");
        }
        to.write(buffer, 0, n);
        left -= n;
      }
    }

    /** One CRLF-terminated line; at the first line of an answer, EOF means a stale connection. */
    private String line(boolean first) throws IOException {
      StringBuilder line = new StringBuilder(64);
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          if (first && line.length() == 0) {
            throw new StaleConnection();
          }
          throw new EOFException("answer ended in the middle of a line");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing left to do with it
      }
    }
  }
}
