// The password policy (OWASP ASVS L1 2.1.1/2.1.7): 8 to 256 characters and not one of the most common
// passwords. One rule for the server (services/admin/passwords.ts) and the forms of the web app.

export const MIN_PASSWORD = 8;
export const MAX_PASSWORD = 256;

/**
 * The most common passwords of 8 characters or more in public breach corpora (SecLists'
 * 10-million-password-list top entries, lower-cased), plus this product's names.
 */
const COMMON = new Set(
  `
  password password1 password12 password123 password! passw0rd p@ssw0rd p@ssword 12345678 123456789
  1234567890 12345678910 0123456789 87654321 987654321 11111111 00000000 88888888 12341234 11223344
  123123123 123321123 1q2w3e4r 1q2w3e4r5t 1qaz2wsx zaq12wsx q1w2e3r4 q1w2e3r4t5 qwertyui qwertyuiop
  qwerty123 qwerty12 asdfghjk asdfghjkl zxcvbnm1 abcd1234 abc12345 abcdefgh iloveyou iloveyou1 sunshine
  football baseball basketball princess welcome1 welcome123 trustno1 letmein1 letmein123 superman starwars
  computer michelle jennifer liverpool whatever dragon12 monkey12 changeme changeme1 admin123
  administrator master12 shadow12 football1 charlie1 jordan23 mustang1 michael1 internet samsung1
  chocolate corvette mercedes maverick blink182 qwer1234 access14 hello123 freedom1 secret12 azertyuiop
  aaaaaaaa visor123 visorvisor compreface
`
    .trim()
    .split(/\s+/),
);

/** Why `password` may not be used, or undefined when it may. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD)
    return `Password must have ${MIN_PASSWORD} to ${MAX_PASSWORD} characters`;
  if (COMMON.has(password.toLowerCase()) || /^(.)\1*$/.test(password))
    return 'This password is one of the most common ones; choose another';
  return undefined;
}
