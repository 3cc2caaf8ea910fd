/** How much a request body may hold: the parsers apply these and the error answers name them. */
export const JSON_BODY_LIMIT = '256kb';
export const FORM_BODY_LIMIT = '64kb';
/** Fields one form may carry. */
export const FORM_FIELD_LIMIT = 100;
