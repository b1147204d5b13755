/** Types of webhook-body.mjs, for the tests that build bodies with it. */
export declare function webhookBody(nextAction: string, events?: number): string;
