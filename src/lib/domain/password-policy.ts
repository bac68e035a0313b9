// The password policy, shared by the browser form hints and the server.
export const MIN_PASSWORD_LENGTH = 10;
