// Generated from openapi/event_service.json by `make web-types`; do not edit.

export interface paths {
    "/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Events
         * @description Lists events by start time, filtered and one page at a time.
         */
        get: operations["read_events_events_get"];
        put?: never;
        /**
         * Create Event
         * @description Publishes a new event owned by the caller.
         */
        post: operations["create_event_events_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{event_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Event
         * @description Returns one event, with its version as the `ETag`.
         */
        get: operations["read_event_events__event_id__get"];
        put?: never;
        post?: never;
        /**
         * Delete Event
         * @description Deletes the event; consumers treat it as cancelled (owner or admin).
         */
        delete: operations["delete_event_events__event_id__delete"];
        options?: never;
        head?: never;
        /**
         * Update Event
         * @description Changes the fields given and publishes `event.updated` naming them (owner or admin).
         */
        patch: operations["update_event_events__event_id__patch"];
        trace?: never;
    };
    "/events/{event_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel Event
         * @description Cancels the event for good, so its bookings are refunded (owner or admin); repeating it is harmless.
         */
        post: operations["cancel_event_events__event_id__cancel_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{event_id}/quotas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Quotas
         * @description Lists the event's quotas, oldest first; at most 50, so the list is whole.
         *
         *     The event's `capacity` is the quota over all its types and is not listed.
         */
        get: operations["read_quotas_events__event_id__quotas_get"];
        put?: never;
        /**
         * Create Quota
         * @description Makes some types share `size` seats (owner or admin); publishes `event.updated` (`quotas`).
         */
        post: operations["create_quota_events__event_id__quotas_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{event_id}/quotas/{quota_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete Quota
         * @description Deletes a quota (owner or admin).
         */
        delete: operations["delete_quota_events__event_id__quotas__quota_id__delete"];
        options?: never;
        head?: never;
        /**
         * Update Quota
         * @description Changes the fields given (owner or admin).
         */
        patch: operations["update_quota_events__event_id__quotas__quota_id__patch"];
        trace?: never;
    };
    "/events/{event_id}/ticket-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Ticket Types
         * @description Lists the event's ticket types by position, then name; hidden ones only to its owner or an admin.
         *
         *     At most 50, so the list is whole and needs no pages.
         */
        get: operations["read_ticket_types_events__event_id__ticket_types_get"];
        put?: never;
        /**
         * Create Ticket Type
         * @description Adds a kind of ticket (owner or admin); publishes `event.updated` with `changed: ["ticket_types"]`.
         */
        post: operations["create_ticket_type_events__event_id__ticket_types_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{event_id}/ticket-types/{ticket_type_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete Ticket Type
         * @description Deletes a type that has no sales (owner or admin), and takes it out of quotas and vouchers.
         */
        delete: operations["delete_ticket_type_events__event_id__ticket_types__ticket_type_id__delete"];
        options?: never;
        head?: never;
        /**
         * Update Ticket Type
         * @description Changes the fields given (owner or admin). The default type's price is the event's price too.
         */
        patch: operations["update_ticket_type_events__event_id__ticket_types__ticket_type_id__patch"];
        trace?: never;
    };
    "/events/{event_id}/vouchers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read Vouchers
         * @description Lists the event's vouchers, oldest first, one page at a time (owner or admin only).
         */
        get: operations["read_vouchers_events__event_id__vouchers_get"];
        put?: never;
        /**
         * Create Voucher
         * @description Adds a promo code (owner or admin); publishes `event.updated` (`vouchers`).
         *
         *     Its uses are counted by the booking service against `max_usages`.
         */
        post: operations["create_voucher_events__event_id__vouchers_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{event_id}/vouchers/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete Voucher
         * @description Deletes a voucher never redeemed (owner or admin); the code matches whatever its case.
         */
        delete: operations["delete_voucher_events__event_id__vouchers__code__delete"];
        options?: never;
        head?: never;
        /**
         * Update Voucher
         * @description Changes the fields given (owner or admin); `{"disabled": true}` retires a redeemed voucher.
         */
        patch: operations["update_voucher_events__event_id__vouchers__code__patch"];
        trace?: never;
    };
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
        /**
         * EventCreate
         * @description A new event; the caller becomes its owner.
         * @example {
         *       "capacity": 120,
         *       "category": "music",
         *       "currency": "EUR",
         *       "description": "An evening of standards with the Marlow Trio.",
         *       "ends_at": "2030-06-21T22:30:00+02:00",
         *       "hold_minutes": 15,
         *       "max_tickets_per_booking": 6,
         *       "offer_hours": 24,
         *       "price": 2500,
         *       "starts_at": "2030-06-21T19:30:00+02:00",
         *       "timezone": "Europe/Berlin",
         *       "title": "Jazz on the Roof",
         *       "venue": "Skyline Terrace, 12 Harbour St"
         *     }
         */
        EventCreate: {
            /** Capacity */
            capacity: number;
            /**
             * Category
             * @description Kept in lower case
             */
            category: string;
            /**
             * Currency
             * @description ISO 4217 code, e.g. EUR
             * @enum {string}
             */
            currency: "AED" | "AFN" | "ALL" | "AMD" | "AOA" | "ARS" | "AUD" | "AWG" | "AZN" | "BAM" | "BBD" | "BDT" | "BHD" | "BIF" | "BMD" | "BND" | "BOB" | "BOV" | "BRL" | "BSD" | "BTN" | "BWP" | "BYN" | "BZD" | "CAD" | "CDF" | "CHE" | "CHF" | "CHW" | "CLF" | "CLP" | "CNY" | "COP" | "COU" | "CRC" | "CUP" | "CVE" | "CZK" | "DJF" | "DKK" | "DOP" | "DZD" | "EGP" | "ERN" | "ETB" | "EUR" | "FJD" | "FKP" | "GBP" | "GEL" | "GHS" | "GIP" | "GMD" | "GNF" | "GTQ" | "GYD" | "HKD" | "HNL" | "HTG" | "HUF" | "IDR" | "ILS" | "INR" | "IQD" | "IRR" | "ISK" | "JMD" | "JOD" | "JPY" | "KES" | "KGS" | "KHR" | "KMF" | "KPW" | "KRW" | "KWD" | "KYD" | "KZT" | "LAK" | "LBP" | "LKR" | "LRD" | "LSL" | "LYD" | "MAD" | "MDL" | "MGA" | "MKD" | "MMK" | "MNT" | "MOP" | "MRU" | "MUR" | "MVR" | "MWK" | "MXN" | "MXV" | "MYR" | "MZN" | "NAD" | "NGN" | "NIO" | "NOK" | "NPR" | "NZD" | "OMR" | "PAB" | "PEN" | "PGK" | "PHP" | "PKR" | "PLN" | "PYG" | "QAR" | "RON" | "RSD" | "RUB" | "RWF" | "SAR" | "SBD" | "SCR" | "SDG" | "SEK" | "SGD" | "SHP" | "SLE" | "SOS" | "SRD" | "SSP" | "STN" | "SVC" | "SYP" | "SZL" | "THB" | "TJS" | "TMT" | "TND" | "TOP" | "TRY" | "TTD" | "TWD" | "TZS" | "UAH" | "UGX" | "USD" | "USN" | "UYI" | "UYU" | "UYW" | "UZS" | "VED" | "VES" | "VND" | "VUV" | "WST" | "XAD" | "XAF" | "XCD" | "XCG" | "XOF" | "XPF" | "XSU" | "XUA" | "YER" | "ZAR" | "ZMW" | "ZWG";
            /**
             * Description
             * @default
             */
            description?: string;
            /**
             * Ends At
             * Format: date-time
             */
            ends_at: string;
            /**
             * Hold Minutes
             * @description How long a checkout holds its seats before it must be paid
             * @default 15
             */
            hold_minutes?: number;
            /**
             * Max Tickets Per Booking
             * @description Defaults to 10, or to the capacity when that is smaller
             */
            max_tickets_per_booking?: number | null;
            /**
             * Offer Hours
             * @description How long an offer to a waiting list entry holds its seats before it must be paid
             * @default 24
             */
            offer_hours?: number;
            /**
             * Price
             * @description Ticket price in minor units (cents), never a float
             */
            price: number;
            /**
             * Starts At
             * Format: date-time
             * @description Must be in the future
             */
            starts_at: string;
            /**
             * Timezone
             * @description IANA time zone in which the event's times are read
             * @default UTC
             */
            timezone?: string;
            /** Title */
            title: string;
            /** Venue */
            venue: string;
        };
        /** EventPage */
        EventPage: {
            /** Items */
            items: components["schemas"]["EventPublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /**
             * Total
             * @description Events matching the filters, on every page
             */
            total: number;
        };
        /** EventPublic */
        EventPublic: {
            /** Capacity */
            capacity: number;
            /** Category */
            category: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /**
             * Currency
             * @description ISO 4217 code
             */
            currency: string;
            /** Description */
            description: string;
            /**
             * Ends At
             * Format: date-time
             */
            ends_at: string;
            /**
             * Hold Minutes
             * @description How long a checkout holds seats
             * @default 15
             */
            hold_minutes?: number;
            /** Id */
            id: string;
            /** Max Tickets Per Booking */
            max_tickets_per_booking: number;
            /**
             * Offer Hours
             * @description How long an offer from the waiting list holds seats
             * @default 24
             */
            offer_hours?: number;
            /** Owner Id */
            owner_id: string;
            /**
             * Price
             * @description Minor units (cents)
             */
            price: number;
            /**
             * Starts At
             * Format: date-time
             */
            starts_at: string;
            /**
             * Status
             * @enum {string}
             */
            status: "scheduled" | "cancelled";
            /**
             * Ticket Types
             * @description The types on public sale, by position then name; hidden ones are listed at `GET /events/{id}/ticket-types` to the organizer only
             */
            ticket_types?: components["schemas"]["TicketTypePublic"][];
            /**
             * Timezone
             * @description IANA time zone of the event
             * @default UTC
             */
            timezone?: string;
            /** Title */
            title: string;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Venue */
            venue: string;
            /**
             * Version
             * @description Starts at 1 and grows with every change; the `ETag` is built from it
             */
            version: number;
        };
        /**
         * EventUpdate
         * @description A partial change: fields left out keep their value. A cancelled event cannot be changed.
         * @example {
         *       "capacity": 200,
         *       "venue": "Harbour Hall"
         *     }
         * @example {
         *       "status": "cancelled"
         *     }
         */
        EventUpdate: {
            /** Capacity */
            capacity?: number | null;
            /** Category */
            category?: string | null;
            /** Currency */
            currency?: ("AED" | "AFN" | "ALL" | "AMD" | "AOA" | "ARS" | "AUD" | "AWG" | "AZN" | "BAM" | "BBD" | "BDT" | "BHD" | "BIF" | "BMD" | "BND" | "BOB" | "BOV" | "BRL" | "BSD" | "BTN" | "BWP" | "BYN" | "BZD" | "CAD" | "CDF" | "CHE" | "CHF" | "CHW" | "CLF" | "CLP" | "CNY" | "COP" | "COU" | "CRC" | "CUP" | "CVE" | "CZK" | "DJF" | "DKK" | "DOP" | "DZD" | "EGP" | "ERN" | "ETB" | "EUR" | "FJD" | "FKP" | "GBP" | "GEL" | "GHS" | "GIP" | "GMD" | "GNF" | "GTQ" | "GYD" | "HKD" | "HNL" | "HTG" | "HUF" | "IDR" | "ILS" | "INR" | "IQD" | "IRR" | "ISK" | "JMD" | "JOD" | "JPY" | "KES" | "KGS" | "KHR" | "KMF" | "KPW" | "KRW" | "KWD" | "KYD" | "KZT" | "LAK" | "LBP" | "LKR" | "LRD" | "LSL" | "LYD" | "MAD" | "MDL" | "MGA" | "MKD" | "MMK" | "MNT" | "MOP" | "MRU" | "MUR" | "MVR" | "MWK" | "MXN" | "MXV" | "MYR" | "MZN" | "NAD" | "NGN" | "NIO" | "NOK" | "NPR" | "NZD" | "OMR" | "PAB" | "PEN" | "PGK" | "PHP" | "PKR" | "PLN" | "PYG" | "QAR" | "RON" | "RSD" | "RUB" | "RWF" | "SAR" | "SBD" | "SCR" | "SDG" | "SEK" | "SGD" | "SHP" | "SLE" | "SOS" | "SRD" | "SSP" | "STN" | "SVC" | "SYP" | "SZL" | "THB" | "TJS" | "TMT" | "TND" | "TOP" | "TRY" | "TTD" | "TWD" | "TZS" | "UAH" | "UGX" | "USD" | "USN" | "UYI" | "UYU" | "UYW" | "UZS" | "VED" | "VES" | "VND" | "VUV" | "WST" | "XAD" | "XAF" | "XCD" | "XCG" | "XOF" | "XPF" | "XSU" | "XUA" | "YER" | "ZAR" | "ZMW" | "ZWG") | null;
            /** Description */
            description?: string | null;
            /** Ends At */
            ends_at?: string | null;
            /** Hold Minutes */
            hold_minutes?: number | null;
            /** Max Tickets Per Booking */
            max_tickets_per_booking?: number | null;
            /** Offer Hours */
            offer_hours?: number | null;
            /** Price */
            price?: number | null;
            /** Starts At */
            starts_at?: string | null;
            /**
             * Status
             * @description `cancelled` cancels the event, like `POST /events/{id}/cancel`, and must come alone; a cancelled event is final and is never scheduled again
             */
            status?: ("scheduled" | "cancelled") | null;
            /** Timezone */
            timezone?: string | null;
            /** Title */
            title?: string | null;
            /** Venue */
            venue?: string | null;
        };
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
         * QuotaCreate
         * @description Seats shared by some ticket types: together they sell at most `size`.
         * @example {
         *       "name": "Balcony",
         *       "size": 40,
         *       "ticket_type_ids": [
         *         "66f0c2a1e4b0a1b2c3d4e5f6"
         *       ]
         *     }
         */
        QuotaCreate: {
            /** Name */
            name: string;
            /** Size */
            size: number;
            /**
             * Ticket Type Ids
             * @description Types of this event, 1 to 50
             */
            ticket_type_ids: string[];
        };
        /** QuotaPublic */
        QuotaPublic: {
            /** Id */
            id: string;
            /** Name */
            name: string;
            /** Size */
            size: number;
            /** Ticket Type Ids */
            ticket_type_ids: string[];
        };
        /**
         * QuotaUpdate
         * @description A partial change of a quota.
         * @example {
         *       "size": 60
         *     }
         */
        QuotaUpdate: {
            /** Name */
            name?: string | null;
            /** Size */
            size?: number | null;
            /** Ticket Type Ids */
            ticket_type_ids?: string[] | null;
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
         * TicketTypeCreate
         * @description A new kind of ticket of the event.
         * @example {
         *       "description": "Cheaper tickets for the first buyers.",
         *       "max_per_booking": 4,
         *       "name": "Early bird",
         *       "position": 1,
         *       "price": 1800,
         *       "sales_end": "2030-05-01T00:00:00+02:00"
         *     }
         */
        TicketTypeCreate: {
            /**
             * Description
             * @default
             */
            description?: string;
            /**
             * Hidden
             * @description Sold only with a voucher that unlocks hidden types
             * @default false
             */
            hidden?: boolean;
            /**
             * Max Per Booking
             * @description At most the event's `max_tickets_per_booking`, which is the default
             */
            max_per_booking?: number | null;
            /**
             * Min Per Booking
             * @default 1
             */
            min_per_booking?: number;
            /** Name */
            name: string;
            /**
             * Position
             * @description Display order, lowest first
             * @default 0
             */
            position?: number;
            /**
             * Price
             * @description Ticket price in minor units (cents), never a float
             */
            price: number;
            /** Sales End */
            sales_end?: string | null;
            /** Sales Start */
            sales_start?: string | null;
        };
        /**
         * TicketTypePublic
         * @description A kind of ticket; `price` in minor units of the event's currency.
         */
        TicketTypePublic: {
            /** Description */
            description: string;
            /**
             * Hidden
             * @description Sold only with a voucher that unlocks it; listed to its organizer only
             */
            hidden: boolean;
            /**
             * Id
             * @description The default type's id is the event's id
             */
            id: string;
            /** Max Per Booking */
            max_per_booking: number;
            /** Min Per Booking */
            min_per_booking: number;
            /** Name */
            name: string;
            /**
             * Position
             * @description Display order, lowest first
             */
            position: number;
            /**
             * Price
             * @description Minor units (cents); 0 is free
             */
            price: number;
            /**
             * Sales End
             * @description Not sold from then; null: until the event starts
             */
            sales_end: string | null;
            /**
             * Sales Start
             * @description Not sold before; null: from publication
             */
            sales_start: string | null;
        };
        /**
         * TicketTypeUpdate
         * @description A partial change of a ticket type; `sales_start`/`sales_end` may be set to null to lift them.
         * @example {
         *       "price": 2000
         *     }
         * @example {
         *       "hidden": true
         *     }
         * @example {}
         */
        TicketTypeUpdate: {
            /** Description */
            description?: string | null;
            /** Hidden */
            hidden?: boolean | null;
            /** Max Per Booking */
            max_per_booking?: number | null;
            /** Min Per Booking */
            min_per_booking?: number | null;
            /** Name */
            name?: string | null;
            /** Position */
            position?: number | null;
            /**
             * Price
             * @description Of the default type: the event's price too
             */
            price?: number | null;
            /** Sales End */
            sales_end?: string | null;
            /** Sales Start */
            sales_start?: string | null;
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
        /**
         * VoucherCreate
         * @description A new promo code; without `code` one of 10 unambiguous upper-case characters is made.
         * @example {
         *       "code": "JAZZFRIENDS",
         *       "max_usages": 20,
         *       "price_mode": "percent",
         *       "valid_until": "2030-06-01T00:00:00+02:00",
         *       "value": 25
         *     }
         * @example {
         *       "max_usages": 1,
         *       "unlocks_hidden": true
         *     }
         */
        VoucherCreate: {
            /** Code */
            code?: string | null;
            /**
             * Disabled
             * @default false
             */
            disabled?: boolean;
            /**
             * Max Usages
             * @default 1
             */
            max_usages?: number;
            /**
             * Price Mode
             * @default none
             * @enum {string}
             */
            price_mode?: "none" | "percent" | "fixed" | "set";
            /**
             * Ticket Type Ids
             * @description Types it applies to, at most 10; empty: all
             */
            ticket_type_ids?: string[];
            /**
             * Unlocks Hidden
             * @default false
             */
            unlocks_hidden?: boolean;
            /** Valid Until */
            valid_until?: string | null;
            /**
             * Value
             * @description `percent`: 1..100 off; `fixed`: minor units off; `set`: the price it sets; `none`: 0
             * @default 0
             */
            value?: number;
        };
        /** VoucherPage */
        VoucherPage: {
            /** Items */
            items: components["schemas"]["VoucherPublic"][];
            /** Limit */
            limit: number;
            /** Offset */
            offset: number;
            /**
             * Total
             * @description Vouchers of the event, on every page
             */
            total: number;
        };
        /** VoucherPublic */
        VoucherPublic: {
            /** Code */
            code: string;
            /** Disabled */
            disabled: boolean;
            /** Max Usages */
            max_usages: number;
            /**
             * Price Mode
             * @enum {string}
             */
            price_mode: "none" | "percent" | "fixed" | "set";
            /**
             * Redeemed
             * @description Used in a booking: it can be disabled, not deleted
             * @default false
             */
            redeemed?: boolean;
            /**
             * Ticket Type Ids
             * @description Empty: every type
             */
            ticket_type_ids: string[];
            /** Unlocks Hidden */
            unlocks_hidden: boolean;
            /** Valid Until */
            valid_until: string | null;
            /** Value */
            value: number;
        };
        /**
         * VoucherUpdate
         * @description A partial change of a voucher; `valid_until` may be set to null to lift it.
         * @example {
         *       "disabled": true
         *     }
         * @example {
         *       "max_usages": 50
         *     }
         */
        VoucherUpdate: {
            /** Disabled */
            disabled?: boolean | null;
            /** Max Usages */
            max_usages?: number | null;
            /** Price Mode */
            price_mode?: ("none" | "percent" | "fixed" | "set") | null;
            /** Ticket Type Ids */
            ticket_type_ids?: string[] | null;
            /** Unlocks Hidden */
            unlocks_hidden?: boolean | null;
            /** Valid Until */
            valid_until?: string | null;
            /** Value */
            value?: number | null;
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
    read_events_events_get: {
        parameters: {
            query?: {
                /** @description Case-insensitive match within the title; no control characters */
                q?: string | null;
                category?: string | null;
                owner_id?: string | null;
                status?: ("scheduled" | "cancelled") | null;
                /** @description Events starting at or after this moment, e.g. 2030-01-01T00:00:00Z */
                starts_after?: string | null;
                /** @description Events starting before this moment, e.g. 2031-01-01T00:00:00Z */
                starts_before?: string | null;
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
                    "application/json": components["schemas"]["EventPage"];
                };
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
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    create_event_events_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EventCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Only organizers and admins create events */
            403: {
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
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_event_events__event_id__get: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` you hold, e.g. `"3"`: 304 with no body while the event is still at it */
                "if-none-match"?: string;
            };
            path: {
                event_id: string;
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
                    "application/json": components["schemas"]["EventPublic"];
                };
            };
            /** @description Unchanged since the `If-None-Match` version */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No event has this id */
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
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    delete_event_events__event_id__delete: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` you last read, e.g. `"3"`: the change applies only if the event is still at that version (412 otherwise), so two editors never overwrite each other */
                "if-match"?: string | null;
            };
            path: {
                event_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not an organizer or admin, or not the event's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No event has this id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The event kept changing under this request; retry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `If-Match` names a version the event is no longer at */
            412: {
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
            /** @description The database is unreachable, or the broker has been unreachable so long that the event holds as many unpublished changes as it may; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    update_event_events__event_id__patch: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` you last read, e.g. `"3"`: the change applies only if the event is still at that version (412 otherwise), so two editors never overwrite each other */
                "if-match"?: string | null;
            };
            path: {
                event_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EventUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not an organizer or admin, or not the event's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No event has this id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The event is cancelled, which is final; or it kept changing: retry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `If-Match` names a version the event is no longer at */
            412: {
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
            /** @description The database is unreachable, or the broker has been unreachable so long that the event holds as many unpublished changes as it may; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    cancel_event_events__event_id__cancel_post: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` you last read, e.g. `"3"`: the change applies only if the event is still at that version (412 otherwise), so two editors never overwrite each other */
                "if-match"?: string | null;
            };
            path: {
                event_id: string;
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
                    "application/json": components["schemas"]["EventPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not an organizer or admin, or not the event's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No event has this id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The event kept changing under this request; retry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `If-Match` names a version the event is no longer at */
            412: {
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
            /** @description The database is unreachable, or the broker has been unreachable so long that the event holds as many unpublished changes as it may; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_quotas_events__event_id__quotas_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                event_id: string;
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
                    "application/json": components["schemas"]["QuotaPublic"][];
                };
            };
            /** @description No event has this id */
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
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    create_quota_events__event_id__quotas_post: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` you last read, e.g. `"3"`: the change applies only if the event is still at that version (412 otherwise), so two editors never overwrite each other */
                "if-match"?: string | null;
            };
            path: {
                event_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QuotaCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QuotaPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not an organizer or admin, or not the event's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No event has this id, or the event has no such item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The event is cancelled, the event is full of such items, or it kept changing: retry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `If-Match` names a version the event is no longer at */
            412: {
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
            /** @description A field breaks a rule; `detail[].loc` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The database or the broker is unreachable; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    delete_quota_events__event_id__quotas__quota_id__delete: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` you last read, e.g. `"3"`: the change applies only if the event is still at that version (412 otherwise), so two editors never overwrite each other */
                "if-match"?: string | null;
            };
            path: {
                event_id: string;
                quota_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not an organizer or admin, or not the event's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No event has this id, or the event has no such item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The event is cancelled, the event is full of such items, or it kept changing: retry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `If-Match` names a version the event is no longer at */
            412: {
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
            /** @description A field breaks a rule; `detail[].loc` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The database or the broker is unreachable; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    update_quota_events__event_id__quotas__quota_id__patch: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` you last read, e.g. `"3"`: the change applies only if the event is still at that version (412 otherwise), so two editors never overwrite each other */
                "if-match"?: string | null;
            };
            path: {
                event_id: string;
                quota_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["QuotaUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QuotaPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not an organizer or admin, or not the event's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No event has this id, or the event has no such item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The event is cancelled, the event is full of such items, or it kept changing: retry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `If-Match` names a version the event is no longer at */
            412: {
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
            /** @description A field breaks a rule; `detail[].loc` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The database or the broker is unreachable; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_ticket_types_events__event_id__ticket_types_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                event_id: string;
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
                    "application/json": components["schemas"]["TicketTypePublic"][];
                };
            };
            /** @description No event has this id */
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
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    create_ticket_type_events__event_id__ticket_types_post: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` you last read, e.g. `"3"`: the change applies only if the event is still at that version (412 otherwise), so two editors never overwrite each other */
                "if-match"?: string | null;
            };
            path: {
                event_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TicketTypeCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketTypePublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not an organizer or admin, or not the event's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No event has this id, or the event has no such item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The event is cancelled, the event is full of such items, or it kept changing: retry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `If-Match` names a version the event is no longer at */
            412: {
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
            /** @description A field breaks a rule; `detail[].loc` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The database or the broker is unreachable; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    delete_ticket_type_events__event_id__ticket_types__ticket_type_id__delete: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` you last read, e.g. `"3"`: the change applies only if the event is still at that version (412 otherwise), so two editors never overwrite each other */
                "if-match"?: string | null;
            };
            path: {
                event_id: string;
                /** @description The type's id; the default type's is the event's id */
                ticket_type_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not an organizer or admin, or not the event's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No event has this id, or the event has no such item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The type has sales (hide it or end its sales instead), is the default type, or the event is cancelled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `If-Match` names a version the event is no longer at */
            412: {
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
            /** @description A field breaks a rule; `detail[].loc` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The database or the broker is unreachable; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    update_ticket_type_events__event_id__ticket_types__ticket_type_id__patch: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` you last read, e.g. `"3"`: the change applies only if the event is still at that version (412 otherwise), so two editors never overwrite each other */
                "if-match"?: string | null;
            };
            path: {
                event_id: string;
                /** @description The type's id; the default type's is the event's id */
                ticket_type_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TicketTypeUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TicketTypePublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not an organizer or admin, or not the event's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No event has this id, or the event has no such item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The event is cancelled, the event is full of such items, or it kept changing: retry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `If-Match` names a version the event is no longer at */
            412: {
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
            /** @description A field breaks a rule; `detail[].loc` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The database or the broker is unreachable; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    read_vouchers_events__event_id__vouchers_get: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
            };
            header?: never;
            path: {
                event_id: string;
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
                    "application/json": components["schemas"]["VoucherPage"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not the event's owner or an admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No event has this id */
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
            /** @description A store or service this needs is unreachable; retry later */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    create_voucher_events__event_id__vouchers_post: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` you last read, e.g. `"3"`: the change applies only if the event is still at that version (412 otherwise), so two editors never overwrite each other */
                "if-match"?: string | null;
            };
            path: {
                event_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VoucherCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VoucherPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not an organizer or admin, or not the event's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No event has this id, or the event has no such item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The code is taken, or the event has 1000 vouchers */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `If-Match` names a version the event is no longer at */
            412: {
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
            /** @description A field breaks a rule; `detail[].loc` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The database or the broker is unreachable; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    delete_voucher_events__event_id__vouchers__code__delete: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` you last read, e.g. `"3"`: the change applies only if the event is still at that version (412 otherwise), so two editors never overwrite each other */
                "if-match"?: string | null;
            };
            path: {
                event_id: string;
                /** @description The voucher's code, in any case */
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not an organizer or admin, or not the event's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No event has this id, or the event has no such item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The voucher has been redeemed (disable it instead), or the event is cancelled */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `If-Match` names a version the event is no longer at */
            412: {
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
            /** @description A field breaks a rule; `detail[].loc` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The database or the broker is unreachable; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    update_voucher_events__event_id__vouchers__code__patch: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` you last read, e.g. `"3"`: the change applies only if the event is still at that version (412 otherwise), so two editors never overwrite each other */
                "if-match"?: string | null;
            };
            path: {
                event_id: string;
                /** @description The voucher's code, in any case */
                code: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VoucherUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VoucherPublic"];
                };
            };
            /** @description Missing, invalid or expired token */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not an organizer or admin, or not the event's owner */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No event has this id, or the event has no such item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The event is cancelled, the event is full of such items, or it kept changing: retry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `If-Match` names a version the event is no longer at */
            412: {
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
            /** @description A field breaks a rule; `detail[].loc` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The database or the broker is unreachable; retry after `Retry-After` */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
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
