package org.operon.actions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on 127.0.0.1 that fails every request with 503 and echoes the request back at the
 * caller: its request line (path and query) in the reason phrase, and request line plus every header in
 * the body, as a careless proxy or target might. Records each request line and each header line.
 */
final class EchoingFailureServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread acceptor;
    final List<String> requestLines = new CopyOnWriteArrayList<>();
    /** Every header line of every request, as received. */
    final List<String> headers = new CopyOnWriteArrayList<>();

    EchoingFailureServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "echoing-failure-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                answer(client);
            } catch (IOException e) {
                // closed, or a client that went away: next one
            }
        }
    }

    private void answer(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        String requestLine = in.readLine();
        if (requestLine == null) {
            return;
        }
        requestLines.add(requestLine);
        StringBuilder echo = new StringBuilder(requestLine).append('\n');
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            echo.append(line).append('\n');
            headers.add(line);
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
            int n = in.read(body, read, length - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        echo.append(body, 0, read);
        byte[] answer = echo.toString().getBytes(StandardCharsets.UTF_8);
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 503 upstream refused " + requestLine + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + answer.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(answer);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
