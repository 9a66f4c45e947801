// The texts of the e-mails Visor sends: address confirmation and password reset, each with a one-time link.
import type { Mail } from './mailer.js';

/** Where the web app handles the links: `${publicUrl}/confirm-email?token=…` and `/reset-password?token=…`. */
export function confirmationMail(to: string, publicUrl: string, token: string): Mail {
  return {
    to,
    subject: 'Confirm your Visor account',
    text: `Welcome to Visor.\n\nConfirm your e-mail address within one hour by opening:\n${publicUrl}/confirm-email?token=${token}\n\nIf you did not sign up, ignore this message.\n`,
  };
}

export function resetMail(to: string, publicUrl: string, token: string): Mail {
  return {
    to,
    subject: 'Reset your Visor password',
    text: `Someone asked to reset the password of your Visor account.\n\nChoose a new password within 15 minutes by opening:\n${publicUrl}/reset-password?token=${token}\n\nIf it was not you, ignore this message: your password stays as it is.\n`,
  };
}
