// The ticket page's layout constants shared by the page and its reply box.

/**
 * Room the requester bar takes at the foot of the screen. The page's scroll padding keeps what
 * the browser scrolls to (the caret in a growing reply, a focused button, scrollIntoView) above
 * the bar instead of under it: the bar used to cover the Send button.
 */
export const REQUESTER_BAR_ROOM = 'calc(4.5rem + var(--mantine-spacing-md))';
