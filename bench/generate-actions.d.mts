/** Types of generate-actions.mjs, for the tests that read its files. */
export declare function action(i: number): string;
export declare function file(n: number): string;
