package org.operon.integration.syslog;

import org.operon.engine.EngineOverloadedException;
import org.operon.integration.http.ApiException;
import org.operon.integration.source.SourceIntake;
import org.operon.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Syslog listeners on UDP and TCP that hand each message to the {@link SourceIntake} as an event
 * ({@link SyslogEvents}) under the source {@code syslog:udp} or {@code syslog:tcp}.
 *
 * <p>Framing: a UDP datagram is one message. On TCP a message is octet-counted ({@code <length> <message>},
 * RFC 6587 section 3.4.1) when it starts with a digit, else it ends at a line feed (non-transparent framing,
 * as most senders use); a trailing CR or NUL is dropped either way. A message longer than
 * {@link Options#maxMessageBytes()} is cut and dead-lettered as {@code message_too_large}; one that is
 * neither RFC 5424 nor RFC 3164 is dead-lettered with the parser's reason ({@code invalid_syslog}).
 *
 * <p>Guarantees: each listener reads the messages already waiting (up to {@value #BATCH} of them),
 * submits them as one batch and reads on only after the intake returned, that is once the events are
 * durable in the journal. When the intake refuses for now (engine overloaded, starting or stopping,
 * journal not confirming) the same events, with the same ids, are submitted again after a delay until
 * accepted or the server stops: meanwhile a TCP sender is held back by TCP flow control, and UDP
 * datagrams wait in the socket's receive buffer (and are dropped by the operating system when it is
 * full). Syslog has no acknowledgement, so messages in flight or in socket buffers when Operon stops or
 * crashes are lost; use TCP for lower loss.
 *
 * <p>This is a small JDK listener rather than camel-syslog with camel-netty: camel-syslog's parser logs
 * malformed input and keeps going with partial values (so bad lines could not be dead-lettered), decodes
 * bytes as ISO-8859-1 rather than UTF-8, keeps RFC 5424 structured data as one string, and its TCP
 * decoder frames only octet-counted messages.
 */
public final class SyslogServer implements AutoCloseable {
    /** Most messages submitted in one batch. */
    public static final int BATCH = 256;
    public static final String UDP_SOURCE = "syslog:udp";
    public static final String TCP_SOURCE = "syslog:tcp";
    private static final Logger LOG = LoggerFactory.getLogger(SyslogServer.class);

    /**
     * @param host            address to bind to
     * @param udpPort         UDP port; null: no UDP listener; 0: any free port
     * @param tcpPort         TCP port; null: no TCP listener; 0: any free port
     * @param maxMessageBytes longest message kept; longer ones are dead-lettered
     * @param maxConnections  TCP connections served at once; more are closed at once
     * @param retryDelay      longest wait before a refused batch is submitted again
     */
    public record Options(String host, Integer udpPort, Integer tcpPort, int maxMessageBytes, int maxConnections,
                          Duration retryDelay) {
        public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

        public Options {
            Objects.requireNonNull(host, "host");
            if (maxMessageBytes < 480) {
                throw new IllegalArgumentException("maxMessageBytes must be at least 480 (RFC 5424), not "
                        + maxMessageBytes);
            }
            if (maxConnections < 1 || retryDelay.isNegative() || retryDelay.isZero()) {
                throw new IllegalArgumentException("maxConnections and retryDelay must be positive");
            }
        }

        /** The given listeners with 64 KiB messages, 100 TCP connections and retries at most 5 s apart. */
        public static Options of(String host, Integer udpPort, Integer tcpPort) {
            return new Options(host, udpPort, tcpPort, DEFAULT_MAX_MESSAGE_BYTES, 100, Duration.ofSeconds(5));
        }
    }

    /** A received message: its bytes (cut at the limit), its full size and the sender. */
    private record Frame(byte[] bytes, long size, String peer) {
    }

    private final SourceIntake intake;
    private final Options options;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private DatagramChannel udp;
    private ServerSocket tcp;
    private volatile boolean running;

    public SyslogServer(SourceIntake intake, Options options) {
        this.intake = Objects.requireNonNull(intake, "intake");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Binds the configured listeners and starts serving.
     *
     * @throws IOException when a port cannot be bound (the message names host and port)
     */
    public synchronized void start() throws IOException {
        if (running) {
            return;
        }
        running = true;
        InetAddress address = InetAddress.getByName(options.host());
        try {
            if (options.udpPort() != null) {
                udp = DatagramChannel.open();
                udp.bind(new InetSocketAddress(address, options.udpPort()));
                startThread("operon-syslog-udp", this::serveUdp);
                LOG.info("Syslog listening on udp://{}:{}", options.host(), udpPort());
            }
            if (options.tcpPort() != null) {
                tcp = new ServerSocket();
                tcp.bind(new InetSocketAddress(address, options.tcpPort()), 50);
                startThread("operon-syslog-tcp", this::acceptTcp);
                LOG.info("Syslog listening on tcp://{}:{}", options.host(), tcpPort());
            }
        } catch (IOException e) {
            close();
            throw new IOException("cannot listen for syslog on " + options.host() + " (udp " + options.udpPort()
                    + ", tcp " + options.tcpPort() + "): " + e.getMessage(), e);
        }
    }

    /** The bound UDP port, or -1 without a UDP listener. */
    public int udpPort() {
        try {
            return udp == null ? -1 : ((InetSocketAddress) udp.getLocalAddress()).getPort();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The bound TCP port, or -1 without a TCP listener. */
    public int tcpPort() {
        return tcp == null ? -1 : tcp.getLocalPort();
    }

    private void startThread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        synchronized (threads) {
            threads.add(t);
        }
        t.start();
    }

    private void serveUdp() {
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        try {
            while (running) {
                List<Frame> batch = new ArrayList<>();
                udp.configureBlocking(true);
                batch.add(datagram(buffer, udp.receive(buffer)));
                udp.configureBlocking(false);
                SocketAddress from;
                while (batch.size() < BATCH && (from = udp.receive(buffer)) != null) {
                    batch.add(datagram(buffer, from));
                }
                deliver(UDP_SOURCE, batch);
            }
        } catch (ClosedChannelException e) {
            // stopped
        } catch (IOException | RuntimeException e) {
            if (running) {
                LOG.error("The syslog UDP listener failed and stopped", e);
            }
        }
    }

    private Frame datagram(ByteBuffer buffer, SocketAddress from) {
        buffer.flip();
        int size = buffer.remaining();
        byte[] bytes = new byte[Math.min(size, options.maxMessageBytes())];
        buffer.get(bytes);
        buffer.clear();
        return new Frame(bytes, size, address(from));
    }

    private void acceptTcp() {
        while (running) {
            Socket socket;
            try {
                socket = tcp.accept();
            } catch (IOException e) {
                if (running) {
                    LOG.error("The syslog TCP listener failed and stopped", e);
                }
                return;
            }
            if (connections.size() >= options.maxConnections()) {
                LOG.warn("Refusing a syslog TCP connection from {}: {} connections are open already",
                        address(socket.getRemoteSocketAddress()), connections.size());
                closeQuietly(socket);
                continue;
            }
            connections.add(socket);
            startThread("operon-syslog-tcp-" + address(socket.getRemoteSocketAddress()), () -> serveTcp(socket));
        }
    }

    private void serveTcp(Socket socket) {
        String peer = address(socket.getRemoteSocketAddress());
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream(), 65536)) {
            Frame frame;
            while (running && (frame = readFrame(in, peer)) != null) {
                List<Frame> batch = new ArrayList<>();
                batch.add(frame);
                while (batch.size() < BATCH && in.available() > 0 && (frame = readFrame(in, peer)) != null) {
                    batch.add(frame);
                }
                deliver(TCP_SOURCE, batch);
            }
        } catch (IOException e) {
            if (running) {
                LOG.info("Syslog TCP connection from {} ended: {}", peer, e.toString());
            }
        } finally {
            connections.remove(socket);
        }
    }

    /** The next message on a TCP stream, or null at its end. */
    private Frame readFrame(InputStream in, String peer) throws IOException {
        int b = in.read();
        while (b == '\n' || b == '\r' || b == 0) {
            b = in.read();
        }
        if (b < 0) {
            return null;
        }
        if (b >= '0' && b <= '9') {
            long length = b - '0';
            int digits = 1;
            while ((b = in.read()) >= '0' && b <= '9' && digits < 10) {
                length = length * 10 + (b - '0');
                digits++;
            }
            if (b == ' ') {
                return readCounted(in, length, peer);
            }
            // Not octet counting after all: the digits start a line.
            Frame rest = readLine(in, b, peer);
            byte[] prefix = Long.toString(length).getBytes(StandardCharsets.US_ASCII);
            byte[] bytes = Arrays.copyOf(prefix, Math.min(prefix.length + rest.bytes().length, options.maxMessageBytes()));
            System.arraycopy(rest.bytes(), 0, bytes, prefix.length, bytes.length - prefix.length);
            return new Frame(bytes, prefix.length + rest.size(), peer);
        }
        return readLine(in, b, peer);
    }

    private Frame readCounted(InputStream in, long length, String peer) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(length, options.maxMessageBytes()));
        long skipped = bytes.length;
        while (skipped < length) {
            long n = in.skip(length - skipped);
            if (n <= 0) {
                if (in.read() < 0) {
                    break;
                }
                n = 1;
            }
            skipped += n;
        }
        return new Frame(bytes, length, peer);
    }

    /** A line starting with {@code first} (already read; -1 for none), up to LF or the end of the stream. */
    private Frame readLine(InputStream in, int first, String peer) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        long size = 0;
        int b = first;
        while (b >= 0 && b != '\n') {
            if (size < options.maxMessageBytes()) {
                line.write(b);
            }
            size++;
            b = in.read();
        }
        return new Frame(line.toByteArray(), size, peer);
    }

    /**
     * Dead-letters the bad messages, then submits the events of the good ones as one batch, again and
     * again while the intake refuses for now.
     */
    private void deliver(String source, List<Frame> frames) {
        List<Event> events = new ArrayList<>();
        for (Frame frame : frames) {
            byte[] bytes = trimmed(frame.bytes());
            SourceIntake.Rejection rejection = null;
            if (frame.size() > options.maxMessageBytes()) {
                rejection = new SourceIntake.Rejection(null, "message_too_large", "the message has " + frame.size()
                        + " bytes; the limit is " + options.maxMessageBytes());
            } else {
                try {
                    SyslogMessage message = SyslogParser.parse(new String(bytes, StandardCharsets.UTF_8));
                    events.add(SyslogEvents.toEvent(message, source, frame.peer()));
                } catch (SyslogParser.SyslogFormatException e) {
                    rejection = new SourceIntake.Rejection(null, e.error(), e.getMessage());
                }
            }
            if (rejection != null) {
                submit(source, List.of(), List.of(rejection), bytes);
            }
        }
        if (!events.isEmpty()) {
            submit(source, events, List.of(), null);
        }
    }

    private void submit(String source, List<Event> events, List<SourceIntake.Rejection> rejected, byte[] payload) {
        while (running) {
            Duration wait = options.retryDelay();
            try {
                intake.submitEvents(source, events, rejected, payload);
                return;
            } catch (EngineOverloadedException e) {
                wait = Duration.ofSeconds(e.retryAfterSeconds());
                wait = wait.compareTo(options.retryDelay()) < 0 ? wait : options.retryDelay();
                LOG.debug("Engine overloaded; resubmitting {} syslog events in {}", events.size(), wait);
            } catch (ApiException e) {
                LOG.warn("The intake refused {} syslog events from {} for now ({}); resubmitting in {}", events.size(),
                        source, e.error(), wait);
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.warn("Stopping: {} syslog events from {} were not accepted", events.size(), source);
    }

    private static byte[] trimmed(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r' || bytes[end - 1] == 0)) {
            end--;
        }
        return end == bytes.length ? bytes : Arrays.copyOf(bytes, end);
    }

    private static String address(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(address);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception e) {
            // closing anyway
        }
    }

    /** Stops listening, closes every connection and waits briefly for the listener threads. */
    @Override
    public synchronized void close() {
        running = false;
        closeQuietly(udp);
        closeQuietly(tcp);
        connections.forEach(SyslogServer::closeQuietly);
        List<Thread> started;
        synchronized (threads) {
            started = List.copyOf(threads);
            threads.clear();
        }
        for (Thread t : started) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
