/** How big the world is. Effects and baselines do not depend on the scale; only volumes and population sizes do. */
export interface ScaleSpec {
  accounts: number;
  partners: number;
  /** Clinicians taking CME activities (about three in four are physicians, MD or DO). */
  cmeLearners: number;
  reps: number;
  marketers: number;
  partnerManagers: number;
  educators: number;
  viewers: number;
  /** Lead-capture dates; each has one webinar and one in-person event (conference, trade show or field event). */
  leadSlots: number;
  partnerEvents: number;
  trainings: number;
  cmeActivities: number;
  /** Multiplies the opportunities each account opens per year. */
  oppRateScale: number;
  /** Leads per account and year (times the segment's size factor). */
  leadsPerAccountYear: number;
  webinarsPerPersonYear: number;
  /** In-person lead events per person and year, field accounts only. */
  inPersonPerPersonYear: number;
  /** Online marketing touches (email, web, ads, content, social, direct) per account person and year. */
  onlineTouchesPerPersonYear: number;
  /** Offline meetings and calls per field account and year (times the size factor), besides deal meetings. */
  offlineTouchesPerFieldAccountYear: number;
  /** Uses of the core features (login, search) per product user and year. */
  coreUsesPerUserYear: number;
  /** Support tickets per customer account, topic and year (times the size factor). */
  ticketsPerTopicYear: number;
  /** Multiplies roundtable attendance (large worlds invite a smaller share of their accounts). */
  roundtableAttendScale: number;
  /** Mean extra CME activities per learner beyond the first. */
  extraActivitiesPerLearner: number;
}

export const scales = ["small", "medium", "large"] as const;
export type Scale = (typeof scales)[number];

/** small ≈ 2k people / 100k touchpoints, medium ≈ 100k / 2M, large ≈ 1M / 20M. */
export const SCALES: Record<Scale, ScaleSpec> = {
  small: {
    accounts: 280,
    partners: 40,
    cmeLearners: 300,
    reps: 20,
    marketers: 3,
    partnerManagers: 2,
    educators: 2,
    viewers: 1,
    leadSlots: 12,
    partnerEvents: 2,
    trainings: 6,
    cmeActivities: 6,
    oppRateScale: 1,
    leadsPerAccountYear: 1.5,
    webinarsPerPersonYear: 0.8,
    inPersonPerPersonYear: 0.5,
    onlineTouchesPerPersonYear: 58,
    offlineTouchesPerFieldAccountYear: 6,
    coreUsesPerUserYear: 24,
    ticketsPerTopicYear: 6,
    roundtableAttendScale: 1,
    extraActivitiesPerLearner: 0.5,
  },
  medium: {
    accounts: 16_000,
    partners: 2_000,
    cmeLearners: 8_000,
    reps: 150,
    marketers: 12,
    partnerManagers: 10,
    educators: 8,
    viewers: 5,
    leadSlots: 48,
    partnerEvents: 4,
    trainings: 30,
    cmeActivities: 20,
    oppRateScale: 1,
    leadsPerAccountYear: 1.5,
    webinarsPerPersonYear: 0.8,
    inPersonPerPersonYear: 0.5,
    onlineTouchesPerPersonYear: 17,
    offlineTouchesPerFieldAccountYear: 6,
    coreUsesPerUserYear: 6,
    ticketsPerTopicYear: 3,
    roundtableAttendScale: 0.5,
    extraActivitiesPerLearner: 0.5,
  },
  large: {
    accounts: 160_000,
    partners: 20_000,
    cmeLearners: 80_000,
    reps: 600,
    marketers: 40,
    partnerManagers: 40,
    educators: 30,
    viewers: 20,
    leadSlots: 150,
    partnerEvents: 8,
    trainings: 100,
    cmeActivities: 60,
    oppRateScale: 1,
    leadsPerAccountYear: 1.5,
    webinarsPerPersonYear: 0.8,
    inPersonPerPersonYear: 0.5,
    onlineTouchesPerPersonYear: 17,
    offlineTouchesPerFieldAccountYear: 6,
    coreUsesPerUserYear: 2,
    ticketsPerTopicYear: 1,
    roundtableAttendScale: 0.15,
    extraActivitiesPerLearner: 0.5,
  },
};
