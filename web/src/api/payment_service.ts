// Generated from openapi/payment_service.json by `make web-types`; do not edit.

export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Health
         * @description Alive: the process answers.
         */
        get: operations["read_health_health_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Payments
         * @description Lists payments, newest first: a user sees only their own, services and admins see all;
         *     `idempotency_key` finds the one the caller made with that key.
         */
        get: operations["read_payments_payments_get"];
        put?: never;
        /**
         * Create Payment
         * @description Charges a card for the booking service (or an admin); a declined card is also stored and answered
         *     201 with status `declined`.
         */
        post: operations["create_payment_payments_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments/{payment_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Payment
         * @description Returns one payment to its payer, a service or an admin.
         */
        get: operations["read_payment_payments__payment_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments/{payment_id}/refunds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create Refund
         * @description Refunds what is left of a payment, or `amount` of it; never more than was paid in total.
         */
        post: operations["create_refund_payments__payment_id__refunds_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Readiness
         * @description Ready: every store and the broker this service needs answer. 503 names what is down.
         */
        get: operations["read_readiness_ready_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** HTTPValidationError */
        HTTPValidationError: {
            /** Detail */
            detail?: components["schemas"]["ValidationError"][];
        };
        /** Health */
        Health: {
            /** Status */
            status: string;
        };
        /**
         * PaymentCreate
         * @description A charge: who pays, for which booking, how much, and with which (simulated) card.
         * @example {
         *       "amount": 5000,
         *       "booking_id": "4f1c2a9e-0b7d-4a51-9a3e-2f6d8c1b7e10",
         *       "currency": "EUR",
         *       "payment_method": "pm_card_visa",
         *       "user_id": "6a0e3c52-8d4f-4b1e-a7c9-0d2e5f8a9b31"
         *     }
         */
        PaymentCreate: {
            /**
             * Amount
             * @description Minor units (cents)
             */
            amount: number;
            /** Booking Id */
            booking_id: string;
            /**
             * Currency
             * @description ISO 4217 code, e.g. EUR
             * @enum {string}
             */
            currency: "AED" | "AFN" | "ALL" | "AMD" | "AOA" | "ARS" | "AUD" | "AWG" | "AZN" | "BAM" | "BBD" | "BDT" | "BHD" | "BIF" | "BMD" | "BND" | "BOB" | "BOV" | "BRL" | "BSD" | "BTN" | "BWP" | "BYN" | "BZD" | "CAD" | "CDF" | "CHE" | "CHF" | "CHW" | "CLF" | "CLP" | "CNY" | "COP" | "COU" | "CRC" | "CUP" | "CVE" | "CZK" | "DJF" | "DKK" | "DOP" | "DZD" | "EGP" | "ERN" | "ETB" | "EUR" | "FJD" | "FKP" | "GBP" | "GEL" | "GHS" | "GIP" | "GMD" | "GNF" | "GTQ" | "GYD" | "HKD" | "HNL" | "HTG" | "HUF" | "IDR" | "ILS" | "INR" | "IQD" | "IRR" | "ISK" | "JMD" | "JOD" | "JPY" | "KES" | "KGS" | "KHR" | "KMF" | "KPW" | "KRW" | "KWD" | "KYD" | "KZT" | "LAK" | "LBP" | "LKR" | "LRD" | "LSL" | "LYD" | "MAD" | "MDL" | "MGA" | "MKD" | "MMK" | "MNT" | "MOP" | "MRU" | "MUR" | "MVR" | "MWK" | "MXN" | "MXV" | "MYR" | "MZN" | "NAD" | "NGN" | "NIO" | "NOK" | "NPR" | "NZD" | "OMR" | "PAB" | "PEN" | "PGK" | "PHP" | "PKR" | "PLN" | "PYG" | "QAR" | "RON" | "RSD" | "RUB" | "RWF" | "SAR" | "SBD" | "SCR" | "SDG" | "SEK" | "SGD" | "SHP" | "SLE" | "SOS" | "SRD" | "SSP" | "STN" | "SVC" | "SYP" | "SZL" | "THB" | "TJS" | "TMT" | "TND" | "TOP" | "TRY" | "TTD" | "TWD" | "TZS" | "UAH" | "UGX" | "USD" | "USN" | "UYI" | "UYU" | "UYW" | "UZS" | "VED" | "VES" | "VND" | "VUV" | "WST" | "XAD" | "XAF" | "XCD" | "XCG" | "XOF" | "XPF" | "XSU" | "XUA" | "YER" | "ZAR" | "ZMW" | "ZWG";
            /**
             * Payment Method
             * @description A Stripe test method: `pm_card_chargeDeclined` is declined
             * @default pm_card_visa
             * @enum {string}
             */
            payment_method?: "pm_card_visa" | "pm_card_mastercard" | "pm_card_chargeDeclined" | "pm_card_chargeDeclinedInsufficientFunds";
            /**
             * User Id
             * @description The payer: the user who booked
             */
            user_id: string;
        };
        /** PaymentPage */
        PaymentPage: {
            /** Items */
            items: components["schemas"]["PaymentPublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /**
             * Total
             * @description How many payments match, across all pages
             */
            total: number;
        };
        /** PaymentPublic */
        PaymentPublic: {
            /**
             * Amount
             * @description Minor units (cents)
             */
            amount: number;
            /** Booking Id */
            booking_id: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Currency */
            currency: string;
            /**
             * Decline Reason
             * @description Why the card was declined; null unless declined
             */
            decline_reason: string | null;
            /** Id */
            id: string;
            /** Payment Method */
            payment_method: string;
            /**
             * Refunded Amount
             * @description Refunded so far, in minor units
             */
            refunded_amount: number;
            /**
             * Status
             * @enum {string}
             */
            status: "succeeded" | "declined" | "refunded" | "partially_refunded";
            /** User Id */
            user_id: string;
        };
        /** Readiness */
        Readiness: {
            /** Checks */
            checks: {
                [key: string]: string;
            };
            /** Status */
            status: string;
        };
        /**
         * RefundCreate
         * @description A refund: everything not yet refunded unless `amount` says less.
         * @example {}
         * @example {
         *       "amount": 2000
         *     }
         */
        RefundCreate: {
            /** Amount */
            amount?: number | null;
        };
        /** RefundPublic */
        RefundPublic: {
            /**
             * Amount
             * @description Minor units (cents)
             */
            amount: number;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Id */
            id: string;
            /** @description The payment as it stood right after this refund */
            payment: components["schemas"]["PaymentPublic"];
            /** Payment Id */
            payment_id: string;
        };
        /** ValidationError */
        ValidationError: {
            /** Context */
            ctx?: Record<string, never>;
            /** Input */
            input?: unknown;
            /** Location */
            loc: (string | number)[];
            /** Message */
            msg: string;
            /** Error Type */
            type: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    read_health_health_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    read_payments_payments_get: {
        parameters: {
            query?: {
                booking_id?: string | null;
                /** @description Users only ever see their own payments */
                user_id?: string | null;
                /** @description Only the payment the caller made with this Idempotency-Key (keys are each caller's own) */
                idempotency_key?: string | null;
                limit?: number;
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentPage"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description The database, or the user service's keys, cannot be reached */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    create_payment_payments_post: {
        parameters: {
            query?: never;
            header: {
                /** @description Unique per intended operation, e.g. a UUID. A retry with the same key and body replays the first answer. Keys are scoped to the caller (and, for refunds, to the payment) and kept as long as the payment. */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PaymentCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Only the booking service and admins create payments */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The Idempotency-Key was used with a different request, or its first request is still running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description The database, or the user service's keys, cannot be reached */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_payment_payments__payment_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                payment_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaymentPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such payment, or not the caller's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description The database, or the user service's keys, cannot be reached */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    create_refund_payments__payment_id__refunds_post: {
        parameters: {
            query?: never;
            header: {
                /** @description Unique per intended operation, e.g. a UUID. A retry with the same key and body replays the first answer. Keys are scoped to the caller (and, for refunds, to the payment) and kept as long as the payment. */
                "Idempotency-Key": string;
            };
            path: {
                payment_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefundCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RefundPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Only the booking service and admins refund; a user cancels the booking */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such payment, or not the caller's */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not refundable, more than is left to refund, a partial refund where only the rest may be refunded (the payment has all its refunds but one), or: the idempotency-key was used with a different request, or its first request is still running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request body is larger than the service accepts (`MAX_BODY_SIZE`) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
            /** @description The database or the user service's keys cannot be reached, or the broker has been unreachable so long that the payment holds as many unpublished changes as it may; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_readiness_ready_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description A store or the broker is down */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
}
