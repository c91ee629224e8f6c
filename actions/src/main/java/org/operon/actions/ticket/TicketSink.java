package org.operon.actions.ticket;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.model.RouteDefinition;
import org.operon.actions.Action;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionSink;
import org.operon.actions.HttpTarget;
import org.operon.state.ticket.TicketLink;
import org.operon.state.ticket.TicketLinkStore;

/**
 * What the ticket targets share: one ticket per incident, kept in step with it.
 *
 * <p>Each action carries an {@code incident-*} decision (other decisions fail the action: route only
 * incident decisions to a ticket target). The sink looks up the incident's {@link TicketLink} in the
 * {@link TicketLinkStore} bound in the Camel registry as {@value #LINKS}, then:
 * <ul>
 *   <li>no link, incident not resolved: <b>create</b> a ticket that names the incident the way the ticket
 *       sources read it back, and save the link at once. The system is first searched by that name
 *       (Redmine's description, ServiceNow's {@code correlation_id}, Jira's label), and a ticket found there is
 *       linked instead;</li>
 *   <li>no link, incident resolved: nothing (no ticket is opened for an incident that is over);</li>
 *   <li>a link created by this very action (the action replayed after its audit entry was lost): nothing;</li>
 *   <li>a link, incident resolved: <b>resolve</b> the ticket (only comment when the ticket is already resolved
 *       or closed, e.g. by the person whose change resolved the incident), and mark the link resolved; when
 *       the link is already resolved, nothing;</li>
 *   <li>a link, incident open or acknowledged: <b>comment</b> what changed (a {@code repeat} notification,
 *       which says nothing new, adds nothing).</li>
 * </ul>
 * The exchange property {@value #RESULT} becomes {@code {"ticketId": <the id people see, or null>,
 * "ticketSystem": <target>, "ticketOperation": created|commented|resolved|none}}.
 *
 * <p>Exactly once in effect: the dispatcher performs each action id at most once per audit entry, and the
 * link turns every later decision of the incident, on any restart, into a comment. The remaining window is
 * a crash (or a lost answer) between the ticketing system creating the ticket and the link being saved:
 * the next attempt creates a second ticket unless the search finds the first (Jira Cloud's search may lag). The
 * actions of one target run on one thread, so two decisions
 * of one incident never race to create.
 */
public abstract class TicketSink implements ActionSink {
    /** Registry name of the {@link TicketLinkStore} the ticket sinks use. */
    public static final String LINKS = "operonTicketLinks";
    /** Exchange property with the action's result details. */
    public static final String RESULT = "operonActionResult";

    /** A ticket just created: the id the API addresses it by and the id people see. */
    record Created(String ticketId, String ticketKey) {
    }

    private final String system;
    private final String endpoint;
    private final Map<String, String> headers;
    private volatile ProducerTemplate producer;

    TicketSink(String system, ActionOptions options, URI base, Map<String, String> headers) {
        this.system = system;
        this.endpoint = HttpTarget.endpoint(base, options);
        this.headers = Map.copyOf(headers);
    }

    /** Opens a ticket for the incident. */
    abstract Created create(TicketHttp http, TicketIncident incident) throws Exception;

    /**
     * The ticket the system already has for the incident, found by the name Operon gives it, or empty; asked
     * before every create that has no link. By default the system is not asked (empty).
     */
    Optional<Created> existing(TicketHttp http, TicketIncident incident) throws Exception {
        return Optional.empty();
    }

    /** Adds {@code note} to the ticket. */
    abstract void comment(TicketHttp http, TicketLink link, String note) throws Exception;

    /** Resolves the ticket with {@code note}; only comments when it is resolved or closed already. */
    abstract void resolve(TicketHttp http, TicketLink link, String note) throws Exception;

    /**
     * True: a create is preceded by a search for the ticket named after the incident, and a replayed action
     * finds its own link; only a comment can be repeated.
     */
    @Override
    public boolean deduplicatesByKey() {
        return true;
    }

    @Override
    public final void perform(RouteDefinition route) {
        route.process(this::perform);
    }

    private void perform(Exchange exchange) throws Exception {
        Action action = exchange.getIn().getBody(Action.class);
        TicketIncident incident = TicketIncident.of(action);
        TicketLinkStore links = exchange.getContext().getRegistry().lookupByNameAndType(LINKS, TicketLinkStore.class);
        if (links == null) {
            throw new IllegalStateException("target '" + system + "' needs a TicketLinkStore bound as '" + LINKS + "'");
        }
        TicketHttp http = new TicketHttp(producer(exchange.getContext()), endpoint, headers);
        Optional<TicketLink> found = links.find(system, incident.id());
        String operation = "none";
        String ticketKey = found.map(TicketLink::ticketKey).orElse(null);
        if (found.isEmpty()) {
            if (!incident.isResolved()) {
                Optional<Created> existing = existing(http, incident);
                Created created = existing.isPresent() ? existing.get() : create(http, incident);
                links.save(new TicketLink(system, incident.id(), created.ticketId(), created.ticketKey(), false,
                        action.id()));
                ticketKey = created.ticketKey();
                operation = "created";
            }
        } else {
            TicketLink link = found.get();
            if (action.id().equals(link.createdBy())) {
                operation = "none";
            } else if (incident.isResolved()) {
                if (!link.resolved()) {
                    resolve(http, link, incident.resolveNote());
                    links.save(link.withResolved(true));
                    operation = "resolved";
                }
            } else if (!incident.isRepeat()) {
                comment(http, link, incident.changeNote());
                if (link.resolved()) {
                    links.save(link.withResolved(false));
                }
                operation = "commented";
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ticketId", ticketKey);
        result.put("ticketSystem", system);
        result.put("ticketOperation", operation);
        exchange.setProperty(RESULT, result);
    }

    private ProducerTemplate producer(CamelContext context) {
        ProducerTemplate p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = context.createProducerTemplate();
                }
                p = producer;
            }
        }
        return p;
    }

    /** {@code base} with {@code path} appended (the base URL may have a path of its own). */
    static URI resolve(URI base, String path) {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
    }
}
