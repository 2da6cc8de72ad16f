import nodemailer, { type Transporter } from "nodemailer";

/** The SMTP transport for THROUGHLINE_SMTP_URL (smtp://user:pass@host:port or smtps://…). */
export function smtpTransport(url: string): Transporter {
  return nodemailer.createTransport(url);
}
