/** How many items a home block lists before its "see all" link, and campaigns at most. */
export const HOME_HEAD = 5;
export const HOME_CAMPAIGNS = 5;
