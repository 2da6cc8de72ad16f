import { sql } from "drizzle-orm";
import { type Database, rows } from "../db/client.ts";
import type { Effects } from "./effects.ts";

/** A realised effect: the estimate, its standard error from the sample, and the number of units behind it. */
export interface Realised {
  value: number;
  se: number;
  n: number;
}

export type RealisedEffects = { [K in keyof Effects]: Realised };

type Num = number | string | null | undefined;
const num = (v: Num): number => (v === null || v === undefined ? Number.NaN : Number(v));

/**
 * Measures every planted effect of one demo organization straight from the tables with plain SQL, exactly as
 * docs/demo-world.md defines them, so tests (and anyone reading the docs) can check the world against its
 * parameters. `now` is the end of the world's history (the `now` it was generated with).
 */
export async function measureEffects(db: Database, orgId: string, now: Date): Promise<RealisedEffects> {
  const asOf = now.toISOString();
  const [roundtable, contextual, cme, usage, tickets, partner, sko, offline] = [
    await measureRoundtable(db, orgId, asOf),
    await measureContextual(db, orgId, asOf),
    await measureCme(db, orgId),
    await measureIndependentUse(db, orgId, asOf),
    await measureTickets(db, orgId, asOf),
    await measurePartners(db, orgId, asOf),
    await measureSko(db, orgId),
    await measureOffline(db, orgId),
  ];
  return {
    roundtable_velocity_lift: roundtable.lift,
    roundtable_stall_share: roundtable.stall,
    contextual_followup_lift: contextual,
    cme_normalized_gain: cme.gain,
    cme_retention_30: cme.retention30,
    cme_retention_90: cme.retention90,
    cme_confident_wrong_share: cme.confidentWrong,
    training_independent_use_lift: usage,
    training_ticket_change: tickets,
    partner_registration_lift: partner,
    sko_win_rate_lift: sko.lift,
    sko_decay_half_life_weeks: sko.halfLife,
    sko_reinforced_share: sko.reinforcedShare,
    offline_won_revenue_share: offline,
  };
}

/**
 * Roundtables at least 60 days before now. Treated: opportunities open at the roundtable's start in accounts with an
 * attendee (a door check-in at a dinner, attendance at an online briefing). Controls: opportunities open at the same instant in accounts that attended no roundtable.
 * Days to the first stage change after the start; lift = 1 − Σ_s w_s·mean_t,s / Σ_s w_s·mean_c,s over segments s
 * among changes within 60 days (w_s = treated movers); stall = treated share with no change within 60 days.
 */
async function measureRoundtable(
  db: Database,
  org: string,
  asOf: string,
): Promise<{ lift: Realised; stall: Realised }> {
  const groups = await rows<{ grp: string; segment: string; n: Num; moved: Num; mean: Num; var: Num }>(
    db.owner,
    sql`
    with rt as (
      select id, starts_at from events
      where org_id = ${org} and type = 'executive_roundtable' and starts_at <= ${asOf}::timestamptz - interval '60 days'
    ),
    attended as (
      select c.event_id, p.account_id
      from check_ins c join people p on p.org_id = c.org_id and p.id = c.person_id
      where c.org_id = ${org} and c.session_id is null and c.direction = 'entry'
        and c.event_id in (select id from events where org_id = ${org} and type = 'executive_roundtable')
        and p.account_id is not null
      union
      select r.event_id, p.account_id
      from registrations r join people p on p.org_id = r.org_id and p.id = r.person_id
      where r.org_id = ${org} and r.attended
        and r.event_id in (select id from events where org_id = ${org} and type = 'executive_roundtable')
        and p.account_id is not null
    ),
    open_at as (
      select rt.id as event_id, rt.starts_at, o.id as opp_id, o.account_id, a.segment
      from rt
      join opportunities o on o.org_id = ${org} and o.opened_at < rt.starts_at
        and (o.closed_at is null or o.closed_at > rt.starts_at)
      join accounts a on a.org_id = o.org_id and a.id = o.account_id
    ),
    measured as (
      select oa.*,
        case
          when exists (select 1 from attended x where x.event_id = oa.event_id and x.account_id = oa.account_id) then 'treated'
          when not exists (select 1 from attended x where x.account_id = oa.account_id) then 'control'
          else 'other'
        end as grp,
        extract(epoch from (
          (select min(sc.changed_at) from stage_changes sc
           where sc.org_id = ${org} and sc.opportunity_id = oa.opp_id and sc.changed_at > oa.starts_at) - oa.starts_at
        )) / 86400.0 as days
      from open_at oa
    )
    select grp, segment, count(*) as n,
      count(*) filter (where days <= 60) as moved,
      avg(days) filter (where days <= 60) as mean,
      var_samp(days) filter (where days <= 60) as var
    from measured where grp <> 'other' group by grp, segment`,
  );
  const bySeg = new Map<string, { t?: (typeof groups)[number]; c?: (typeof groups)[number] }>();
  for (const g of groups) {
    const e = bySeg.get(g.segment) ?? {};
    if (g.grp === "treated") e.t = g;
    else e.c = g;
    bySeg.set(g.segment, e);
  }
  let a = 0;
  let b = 0;
  let varA = 0;
  let varB = 0;
  let treatedOpen = 0;
  let treatedMoved = 0;
  for (const { t, c } of bySeg.values()) {
    if (!t) continue;
    treatedOpen += num(t.n);
    treatedMoved += num(t.moved);
    if (!c || num(c.moved) < 2 || num(t.moved) < 2) continue;
    const w = num(t.moved);
    a += w * num(t.mean);
    b += w * num(c.mean);
    varA += (w * w * num(t.var)) / num(t.moved);
    varB += (w * w * num(c.var)) / num(c.moved);
  }
  const ratio = a / b;
  const stall = 1 - treatedMoved / treatedOpen;
  return {
    lift: { value: 1 - ratio, se: ratio * Math.sqrt(varA / (a * a) + varB / (b * b)), n: treatedMoved },
    stall: { value: stall, se: Math.sqrt((stall * (1 - stall)) / treatedOpen), n: treatedOpen },
  };
}

/**
 * Leads captured at least 90 days before now. Converted: the lead's opportunity opened within 90 days of capture.
 * Judged by the lead's first sent follow-up (ties by id), as the funnel judges it: contextual-within-24h when that one
 * is contextual and sent within 24 hours of capture; comparison: leads whose first sent follow-up is generic or late.
 * Lift = difference of conversion rates.
 */
async function measureContextual(db: Database, org: string, asOf: string): Promise<Realised> {
  const groups = await rows<{ grp: string; n: Num; converted: Num }>(
    db.owner,
    sql`
    with l as (
      select l.id, l.captured_at,
        exists (select 1 from opportunities o where o.org_id = l.org_id and o.id = l.opportunity_id
                and o.opened_at <= l.captured_at + interval '90 days') as converted
      from leads l where l.org_id = ${org} and l.captured_at <= ${asOf}::timestamptz - interval '90 days'
    ),
    g as (
      select l.*,
        case
          when f.id is null then 'none'
          when f.contextual and f.sent_at <= l.captured_at + interval '24 hours' then 'contextual_24h'
          else 'generic_or_late'
        end as grp
      from l left join lateral (
        select f.id, f.contextual, f.sent_at from follow_ups f
         where f.org_id = ${org} and f.lead_id = l.id and f.status in ('sent', 'done') and f.sent_at is not null
         order by f.sent_at, f.id limit 1) f on true
    )
    select grp, count(*) as n, count(*) filter (where converted) as converted from g group by grp`,
  );
  const get = (k: string) => groups.find((g) => g.grp === k);
  const c = get("contextual_24h");
  const o = get("generic_or_late");
  const n1 = num(c?.n ?? 0);
  const n0 = num(o?.n ?? 0);
  const p1 = num(c?.converted ?? 0) / n1;
  const p0 = num(o?.converted ?? 0) / n0;
  return { value: p1 - p0, se: Math.sqrt((p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0), n: n1 + n0 };
}

/**
 * CME assessments (events of type cme_activity). Attempt percent = 100 × mean item score; phase mean = mean of
 * attempt percents. ⟨g⟩ = (post − pre)/(100 − pre) over attempts of learners with both; retention_d = mean delayed(d)
 * / mean post over everyone; confidently wrong = post answers wrong with confidence ≥ 3 / post answers.
 */
async function measureCme(
  db: Database,
  org: string,
): Promise<{ gain: Realised; retention30: Realised; retention90: Realised; confidentWrong: Realised }> {
  const [m] = await rows<Record<string, Num>>(
    db.owner,
    sql`
    with cme as (
      select a.id from assessments a join events e on e.org_id = a.org_id and e.id = a.event_id
      where a.org_id = ${org} and e.type = 'cme_activity'
    ),
    att as (
      select t.id, t.assessment_id, t.person_id, t.phase, t.delay_days,
        100.0 * avg(case when r.correct then 1 else 0 end) as pct
      from assessment_attempts t join responses r on r.org_id = t.org_id and r.attempt_id = t.id
      where t.org_id = ${org} and t.assessment_id in (select id from cme)
      group by t.id, t.assessment_id, t.person_id, t.phase, t.delay_days
    ),
    matched as (
      select pre.pct as pre, post.pct as post from att pre
      join att post on post.assessment_id = pre.assessment_id and post.person_id = pre.person_id and post.phase = 'post'
      where pre.phase = 'pre'
    )
    select
      (select avg(pre) from matched) as pre, (select avg(post) from matched) as post,
      (select var_samp(pre) from matched) as pre_var, (select var_samp(post) from matched) as post_var,
      (select covar_samp(pre, post) from matched) as cov, (select count(*) from matched) as matched,
      (select avg(pct) from att where phase = 'post') as post_all,
      (select var_samp(pct) from att where phase = 'post') as post_all_var,
      (select count(*) from att where phase = 'post') as post_n,
      (select avg(pct) from att where phase = 'delayed' and delay_days = 30) as d30,
      (select var_samp(pct) from att where phase = 'delayed' and delay_days = 30) as d30_var,
      (select count(*) from att where phase = 'delayed' and delay_days = 30) as d30_n,
      (select avg(pct) from att where phase = 'delayed' and delay_days = 90) as d90,
      (select var_samp(pct) from att where phase = 'delayed' and delay_days = 90) as d90_var,
      (select count(*) from att where phase = 'delayed' and delay_days = 90) as d90_n,
      (select count(*) from responses r join assessment_attempts t on t.org_id = r.org_id and t.id = r.attempt_id
        where r.org_id = ${org} and t.phase = 'post' and t.assessment_id in (select id from cme)) as post_answers,
      (select count(*) from responses r join assessment_attempts t on t.org_id = r.org_id and t.id = r.attempt_id
        where r.org_id = ${org} and t.phase = 'post' and t.assessment_id in (select id from cme)
          and not r.correct and r.confidence >= 3) as confident_wrong`,
  );
  const r = m!;
  const pre = num(r.pre);
  const post = num(r.post);
  const nm = num(r.matched);
  const gain = (post - pre) / (100 - pre);
  // Delta method for (post − pre)/(100 − pre) with the two means' covariance.
  const dPost = 1 / (100 - pre);
  const dPre = (post - 100) / (100 - pre) ** 2;
  const gainVar =
    (dPost ** 2 * num(r.post_var) + dPre ** 2 * num(r.pre_var) + 2 * dPost * dPre * num(r.cov)) / nm;
  const retention = (d: "d30" | "d90"): Realised => {
    const pd = num(r[d]);
    const pp = num(r.post_all);
    const v = pd / pp;
    const se =
      v *
      Math.sqrt(
        num(r[`${d}_var`]) / num(r[`${d}_n`]) / pd ** 2 + num(r.post_all_var) / num(r.post_n) / pp ** 2,
      );
    return { value: v, se, n: num(r[`${d}_n`]) };
  };
  const answers = num(r.post_answers);
  const cw = num(r.confident_wrong) / answers;
  return {
    gain: { value: gain, se: Math.sqrt(gainVar), n: nm },
    retention30: retention("d30"),
    retention90: retention("d90"),
    confidentWrong: { value: cw, se: Math.sqrt((cw * (1 - cw)) / answers), n: answers },
  };
}

/**
 * Customer trainings that ended at least 90 days before now. Trained pairs: (person checked in to a session, the
 * session's feature). Control pairs: product users (champion, technical evaluator, user, operational leader) of
 * customer accounts (any usage or ticket) that never attended a customer training × every feature trained at that
 * training, over the same window. Used = an unguided usage event of the feature by the person in (end, end + 90 d].
 */
async function measureIndependentUse(db: Database, org: string, asOf: string): Promise<Realised> {
  const groups = await rows<{ grp: string; n: Num; used: Num }>(
    db.owner,
    sql`
    with tr as (
      select id, ends_at from events
      where org_id = ${org} and type = 'customer_training' and ends_at <= ${asOf}::timestamptz - interval '90 days'
    ),
    trained as (
      select distinct tr.id as event_id, tr.ends_at, c.person_id, p.account_id, f.feature
      from check_ins c
      join tr on tr.id = c.event_id
      join people p on p.org_id = c.org_id and p.id = c.person_id
      join event_sessions s on s.org_id = c.org_id and s.id = c.session_id
      cross join lateral jsonb_array_elements_text(s.features) as f(feature)
      where c.org_id = ${org} and c.direction = 'entry'
    ),
    trained_accounts as (
      select distinct p.account_id from check_ins c
      join events e on e.org_id = c.org_id and e.id = c.event_id and e.type = 'customer_training'
      join people p on p.org_id = c.org_id and p.id = c.person_id
      where c.org_id = ${org}
    ),
    customers as (
      select account_id from product_usage_events where org_id = ${org}
      union select account_id from support_tickets where org_id = ${org}
    ),
    control_people as (
      select p.id as person_id, p.account_id from people p
      where p.org_id = ${org} and p.account_id in (select account_id from customers)
        and p.account_id not in (select account_id from trained_accounts where account_id is not null)
        and p.buying_role in ('champion', 'technical_evaluator', 'user', 'operational_leader')
    ),
    features as (select distinct event_id, ends_at, feature from trained),
    control as (
      select f.event_id, f.ends_at, cp.person_id, cp.account_id, f.feature from features f cross join control_people cp
    ),
    pairs as (
      select 'trained' as grp, * from trained union all select 'control' as grp, * from control
    )
    select grp, count(*) as n,
      count(*) filter (where exists (
        select 1 from product_usage_events u
        where u.org_id = ${org} and u.account_id = pairs.account_id and u.feature = pairs.feature
          and u.person_id = pairs.person_id and not u.guided
          and u.occurred_at > pairs.ends_at and u.occurred_at <= pairs.ends_at + interval '90 days'
      )) as used
    from pairs group by grp`,
  );
  const t = groups.find((g) => g.grp === "trained");
  const c = groups.find((g) => g.grp === "control");
  const n1 = num(t?.n ?? 0);
  const n0 = num(c?.n ?? 0);
  const p1 = num(t?.used ?? 0) / n1;
  const p0 = num(c?.used ?? 0) / n0;
  return { value: p1 - p0, se: Math.sqrt((p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0), n: n1 };
}

/**
 * Same trainings. Units: (trained account, topic it was trained on) and (never-trained customer account, topic trained
 * at that training). Tickets on the topic in [start − 90 d, start) and (end, end + 90 d]. Relative change per group =
 * Σ after / Σ before − 1; the effect is trained minus control. Standard errors are robust over units.
 */
async function measureTickets(db: Database, org: string, asOf: string): Promise<Realised> {
  const units = await rows<{ grp: string; before: Num; after: Num }>(
    db.owner,
    sql`
    with tr as (
      select id, starts_at, ends_at from events
      where org_id = ${org} and type = 'customer_training' and ends_at <= ${asOf}::timestamptz - interval '90 days'
    ),
    trained as (
      select distinct tr.id as event_id, tr.starts_at, tr.ends_at, p.account_id, f.topic
      from check_ins c
      join tr on tr.id = c.event_id
      join people p on p.org_id = c.org_id and p.id = c.person_id
      join event_sessions s on s.org_id = c.org_id and s.id = c.session_id
      cross join lateral jsonb_array_elements_text(s.topics) as f(topic)
      where c.org_id = ${org} and c.direction = 'entry'
    ),
    trained_accounts as (
      select distinct p.account_id from check_ins c
      join events e on e.org_id = c.org_id and e.id = c.event_id and e.type = 'customer_training'
      join people p on p.org_id = c.org_id and p.id = c.person_id
      where c.org_id = ${org} and p.account_id is not null
    ),
    customers as (
      select account_id from product_usage_events where org_id = ${org}
      union select account_id from support_tickets where org_id = ${org}
    ),
    control as (
      select distinct t.event_id, t.starts_at, t.ends_at, c.account_id, t.topic
      from (select distinct event_id, starts_at, ends_at, topic from trained) t
      cross join customers c
      where c.account_id not in (select account_id from trained_accounts)
    ),
    units as (select 'trained' as grp, * from trained union all select 'control' as grp, * from control)
    select grp,
      (select count(*) from support_tickets k where k.org_id = ${org} and k.account_id = u.account_id and k.topic = u.topic
        and k.opened_at >= u.starts_at - interval '90 days' and k.opened_at < u.starts_at) as before,
      (select count(*) from support_tickets k where k.org_id = ${org} and k.account_id = u.account_id and k.topic = u.topic
        and k.opened_at > u.ends_at and k.opened_at <= u.ends_at + interval '90 days') as after
    from units u`,
  );
  const change = (grp: string) => {
    const us = units.filter((u) => u.grp === grp);
    const before = us.reduce((s, u) => s + num(u.before), 0);
    const after = us.reduce((s, u) => s + num(u.after), 0);
    const ratio = after / before;
    let v = 0;
    for (const u of us) v += (num(u.after) - ratio * num(u.before)) ** 2;
    return { change: ratio - 1, var: v / before ** 2, n: us.length };
  };
  const t = change("trained");
  const c = change("control");
  return { value: t.change - c.change, se: Math.sqrt(t.var + c.var), n: t.n };
}

/**
 * Partner events with 90 days before and after them inside history. Attending partners: a contact checked in; controls:
 * partners with no contact at any partner event. Per partner: (registrations in [start, start + 90 d) − in
 * [start − 90 d, start)) / 3, i.e. per 30 days. Effect = mean over attending − mean over controls, pooled over events.
 */
async function measurePartners(db: Database, org: string, asOf: string): Promise<Realised> {
  const diffs = await rows<{ grp: string; diff: Num }>(
    db.owner,
    sql`
    with pe as (
      select id, starts_at from events
      where org_id = ${org} and type = 'partner_event' and starts_at <= ${asOf}::timestamptz - interval '90 days'
    ),
    attended as (
      select distinct c.event_id, p.partner_id from check_ins c
      join people p on p.org_id = c.org_id and p.id = c.person_id
      where c.org_id = ${org} and c.session_id is null and c.direction = 'entry' and p.partner_id is not null
        and c.event_id in (select id from events where org_id = ${org} and type = 'partner_event')
    ),
    units as (
      select pe.id as event_id, pe.starts_at, pa.id as partner_id,
        case when exists (select 1 from attended a where a.event_id = pe.id and a.partner_id = pa.id) then 'attending'
             when not exists (select 1 from attended a where a.partner_id = pa.id) then 'control' else 'other' end as grp
      from pe cross join partners pa where pa.org_id = ${org}
    )
    select grp, (
      (select count(*) from deal_registrations d where d.org_id = ${org} and d.partner_id = u.partner_id
        and d.registered_at >= u.starts_at and d.registered_at < u.starts_at + interval '90 days')
      - (select count(*) from deal_registrations d where d.org_id = ${org} and d.partner_id = u.partner_id
        and d.registered_at >= u.starts_at - interval '90 days' and d.registered_at < u.starts_at)
      ) / 3.0 as diff
    from units u where grp <> 'other'`,
  );
  const stats = (grp: string) => {
    const xs = diffs.filter((d) => d.grp === grp).map((d) => num(d.diff));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
    return { mean, se2: v / xs.length, n: xs.length };
  };
  const a = stats("attending");
  const c = stats("control");
  return { value: a.mean - c.mean, se: Math.sqrt(a.se2 + c.se2), n: a.n };
}

/**
 * Reps (users with role rep) and the sales kickoff. Attended: the rep's person record (same email) checked in at the
 * door; reinforced: enrolled in the journey of role "rep". Deals: the rep's opportunities closed before or after the
 * kickoff's start. Lift = (post − pre win rate) of reinforced reps minus the same for reps who did not attend.
 * Half-life: least squares of won ~ a + b·t + L·x_h over all closed deals, x_h = 1 for reinforced reps after the
 * kickoff and 2^(−weeks/h) for the other attendees, h on a grid (profile fit); SE from the profile's curvature.
 */
async function measureSko(
  db: Database,
  org: string,
): Promise<{ lift: Realised; halfLife: Realised; reinforcedShare: Realised }> {
  const deals = await rows<{ grp: string; days: Num; won: boolean }>(
    db.owner,
    sql`
    with sko as (select id, starts_at from events where org_id = ${org} and type = 'sales_kickoff' order by starts_at limit 1),
    reps as (
      select u.id as user_id,
        case
          when not exists (select 1 from check_ins c join people p on p.org_id = c.org_id and p.id = c.person_id
                           where c.org_id = ${org} and c.event_id = (select id from sko) and c.session_id is null
                             and lower(p.email) = lower(u.email)) then 'absent'
          when exists (select 1 from journey_enrollments je join journeys j on j.org_id = je.org_id and j.id = je.journey_id
                       join people p on p.org_id = je.org_id and p.id = je.person_id
                       where je.org_id = ${org} and j.role = 'rep' and lower(p.email) = lower(u.email)) then 'reinforced'
          else 'unreinforced'
        end as grp
      from users u where u.org_id = ${org} and u.role = 'rep'
    )
    select r.grp, extract(epoch from (o.closed_at - (select starts_at from sko))) / 86400.0 as days, o.is_won as won
    from opportunities o join reps r on r.user_id = o.owner_user_id
    where o.org_id = ${org} and o.closed_at is not null`,
  );
  const rate = (grp: string, post: boolean) => {
    const ds = deals.filter((d) => d.grp === grp && num(d.days) >= 0 === post);
    const p = ds.filter((d) => d.won).length / ds.length;
    return { p, v: (p * (1 - p)) / ds.length };
  };
  const rPost = rate("reinforced", true);
  const rPre = rate("reinforced", false);
  const aPost = rate("absent", true);
  const aPre = rate("absent", false);
  const lift = rPost.p - rPre.p - (aPost.p - aPre.p);
  const liftSe = Math.sqrt(rPost.v + rPre.v + aPost.v + aPre.v);

  // Profile least squares over the half-life.
  const n = deals.length;
  const y = new Float64Array(n);
  const t = new Float64Array(n);
  const g = new Int8Array(n);
  deals.forEach((d, i) => {
    y[i] = d.won ? 1 : 0;
    t[i] = num(d.days) / 365;
    g[i] = num(d.days) < 0 || d.grp === "absent" ? 0 : d.grp === "reinforced" ? 2 : 1;
  });
  const sse = (h: number): number => {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = g[i] === 2 ? 1 : g[i] === 1 ? 2 ** (-(t[i]! * 365) / 7 / h) : 0;
    return leastSquaresSse(y, [t, x]);
  };
  const grid: number[] = [];
  for (let h = 0.5; h <= 60; h *= 1.02) grid.push(h);
  let best = grid[0]!;
  let bestSse = Number.POSITIVE_INFINITY;
  for (const h of grid) {
    const s = sse(h);
    if (s < bestSse) {
      bestSse = s;
      best = h;
    }
  }
  const step = best * 0.05;
  const curvature = (sse(best + step) - 2 * bestSse + sse(Math.max(0.25, best - step))) / (step * step);
  const sigma2 = bestSse / (n - 4);
  const halfSe = curvature > 0 ? Math.sqrt((2 * sigma2) / curvature) : Number.POSITIVE_INFINITY;

  const [share] = await rows<{ attended: Num; reinforced: Num }>(
    db.owner,
    sql`
    with sko as (select id from events where org_id = ${org} and type = 'sales_kickoff' limit 1),
    rep_people as (
      select p.id from users u join people p on p.org_id = u.org_id and lower(p.email) = lower(u.email)
      where u.org_id = ${org} and u.role = 'rep'
    )
    select
      (select count(distinct c.person_id) from check_ins c where c.org_id = ${org} and c.event_id = (select id from sko)
        and c.session_id is null and c.person_id in (select id from rep_people)) as attended,
      (select count(distinct je.person_id) from journey_enrollments je join journeys j on j.org_id = je.org_id and j.id = je.journey_id
        where je.org_id = ${org} and j.role = 'rep' and je.person_id in (select id from rep_people)) as reinforced`,
  );
  const attended = num(share!.attended);
  const rs = num(share!.reinforced) / attended;
  return {
    lift: { value: lift, se: liftSe, n: deals.length },
    halfLife: { value: best, se: halfSe, n },
    reinforcedShare: { value: rs, se: Math.sqrt((rs * (1 - rs)) / attended), n: attended },
  };
}

/** Residual sum of squares of y on an intercept and the given columns (normal equations, tiny systems). */
function leastSquaresSse(y: Float64Array, columns: Float64Array[]): number {
  const k = columns.length + 1;
  const n = y.length;
  const col = (j: number, i: number) => (j === 0 ? 1 : columns[j - 1]![i]!);
  const xtx = Array.from({ length: k }, () => new Float64Array(k));
  const xty = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < k; a++) {
      const va = col(a, i);
      xty[a]! += va * y[i]!;
      for (let b = a; b < k; b++) xtx[a]![b]! += va * col(b, i);
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) xtx[a]![b] = xtx[b]![a]!;
  // Gaussian elimination.
  const m = xtx.map((row, i) => [...row, xty[i]!]);
  for (let p = 0; p < k; p++) {
    let piv = p;
    for (let r = p + 1; r < k; r++) if (Math.abs(m[r]![p]!) > Math.abs(m[piv]![p]!)) piv = r;
    [m[p], m[piv]] = [m[piv]!, m[p]!];
    for (let r = 0; r < k; r++) {
      if (r === p) continue;
      const f = m[r]![p]! / m[p]![p]!;
      for (let c = p; c <= k; c++) m[r]![c]! -= f * m[p]![c]!;
    }
  }
  const beta = m.map((row, i) => row[k]! / row[i]!);
  let sse = 0;
  for (let i = 0; i < n; i++) {
    let fit = 0;
    for (let a = 0; a < k; a++) fit += beta[a]! * col(a, i);
    sse += (y[i]! - fit) ** 2;
  }
  return sse;
}

/**
 * Won opportunities. Offline: the opportunity's account has a touchpoint with online = false at or before the close.
 * Share = Σ amount (offline) / Σ amount (all won); standard error robust over accounts.
 */
async function measureOffline(db: Database, org: string): Promise<Realised> {
  const accounts = await rows<{ total: Num; offline: Num }>(
    db.owner,
    sql`
    with won as (
      select o.account_id, o.amount_minor, exists (
        select 1 from touchpoints t where t.org_id = o.org_id and t.account_id = o.account_id and not t.online
          and t.occurred_at <= o.closed_at) as offline
      from opportunities o where o.org_id = ${org} and o.is_won
    )
    select sum(amount_minor) as total, coalesce(sum(amount_minor) filter (where offline), 0) as offline
    from won group by account_id`,
  );
  const total = accounts.reduce((s, a) => s + num(a.total), 0);
  const off = accounts.reduce((s, a) => s + num(a.offline), 0);
  const share = off / total;
  let v = 0;
  for (const a of accounts) v += (num(a.offline) - share * num(a.total)) ** 2;
  return { value: share, se: Math.sqrt(v) / total, n: accounts.length };
}
