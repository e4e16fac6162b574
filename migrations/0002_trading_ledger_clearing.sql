CREATE TABLE "bid_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"reserve_fen" bigint NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"winning_bid_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bids" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"buyer_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	"purpose" text NOT NULL,
	"status" text DEFAULT 'sealed' NOT NULL,
	"idempotency_key" text NOT NULL,
	"order_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clearing_cycles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"cutoff" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'computed' NOT NULL,
	"trigger" text NOT NULL,
	"fee_bps" integer NOT NULL,
	"totals" jsonb NOT NULL,
	"ledger_transaction_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "clearing_obligations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"cycle_id" uuid NOT NULL,
	"participant_id" uuid,
	"kind" text NOT NULL,
	"source_kind" text NOT NULL,
	"source_id" text NOT NULL,
	"amount_fen" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disputes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trade_id" uuid NOT NULL,
	"opened_by" uuid NOT NULL,
	"respondent_id" uuid NOT NULL,
	"claim" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"evidence" jsonb,
	"arbiter_id" uuid,
	"breach" boolean,
	"remedy" text,
	"remedy_fen" bigint,
	"ruling" text,
	"remedy_cycle_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ruled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid,
	"kind" text NOT NULL,
	"balance_fen" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_accounts_no_overdraft" CHECK ("ledger_accounts"."kind" not in ('available', 'escrow') or "ledger_accounts"."balance_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transaction_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"reference" text NOT NULL,
	"idempotency_key" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "licences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trade_id" uuid NOT NULL,
	"buyer_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"territories" text[] NOT NULL,
	"access" text NOT NULL,
	"onward_transfer" boolean DEFAULT false NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	"query_quota" integer,
	"period_days" integer,
	"queries_used" integer DEFAULT 0 NOT NULL,
	"period_started_at" timestamp with time zone,
	"epsilon_budget_micro" bigint,
	"epsilon_used_micro" bigint DEFAULT 0 NOT NULL,
	"per_query_fen" bigint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"buyer_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"territory" text NOT NULL,
	"cross_border" boolean NOT NULL,
	"access" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"source" text DEFAULT 'plan' NOT NULL,
	"idempotency_key" text NOT NULL,
	"reason" text,
	"decided_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "positive_list_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"destination" text NOT NULL,
	"classification" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"added_by" uuid NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "price_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"price_fen" bigint NOT NULL,
	"period_days" integer,
	"query_quota" integer,
	"terms" jsonb NOT NULL,
	"auto_accept" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "price_plans_price_nonnegative" CHECK ("price_plans"."price_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "security_assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"destination" text NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"requested_by" uuid NOT NULL,
	"decided_by" uuid,
	"reason" text,
	"valid_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "settlement_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"cycle_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"payable_fen" bigint NOT NULL,
	"receivable_fen" bigint NOT NULL,
	"net_fen" bigint NOT NULL,
	"content" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trades" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"buyer_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"certificate_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	"domain" text NOT NULL,
	"classification" text NOT NULL,
	"grade" text NOT NULL,
	"territory" text NOT NULL,
	"cross_border" boolean NOT NULL,
	"plan_kind" text NOT NULL,
	"cycle_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"licence_id" uuid NOT NULL,
	"buyer_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"certificate_id" uuid NOT NULL,
	"usage_ref" text NOT NULL,
	"kind" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"cycle_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bid_rounds" ADD CONSTRAINT "bid_rounds_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_rounds" ADD CONSTRAINT "bid_rounds_plan_id_price_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."price_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_round_id_bid_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."bid_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clearing_obligations" ADD CONSTRAINT "clearing_obligations_cycle_id_clearing_cycles_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."clearing_cycles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_trade_id_trades_id_fk" FOREIGN KEY ("trade_id") REFERENCES "public"."trades"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_owner_id_participants_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_transaction_id_ledger_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."ledger_transactions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_account_id_ledger_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "licences" ADD CONSTRAINT "licences_trade_id_trades_id_fk" FOREIGN KEY ("trade_id") REFERENCES "public"."trades"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_buyer_id_participants_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_provider_id_participants_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_plan_id_price_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."price_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_plans" ADD CONSTRAINT "price_plans_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "security_assessments" ADD CONSTRAINT "security_assessments_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settlement_records" ADD CONSTRAINT "settlement_records_cycle_id_clearing_cycles_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."clearing_cycles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trades" ADD CONSTRAINT "trades_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_records" ADD CONSTRAINT "usage_records_licence_id_licences_id_fk" FOREIGN KEY ("licence_id") REFERENCES "public"."licences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bid_rounds_dataset_idx" ON "bid_rounds" USING btree ("dataset_id");--> statement-breakpoint
CREATE UNIQUE INDEX "bids_round_buyer_key" ON "bids" USING btree ("round_id","buyer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "bids_buyer_idempotency_key" ON "bids" USING btree ("buyer_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "clearing_cycles_seq_key" ON "clearing_cycles" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "clearing_obligations_cycle_idx" ON "clearing_obligations" USING btree ("cycle_id","participant_id");--> statement-breakpoint
CREATE INDEX "disputes_trade_idx" ON "disputes" USING btree ("trade_id");--> statement-breakpoint
CREATE INDEX "disputes_respondent_idx" ON "disputes" USING btree ("respondent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_owner_kind_key" ON "ledger_accounts" USING btree ("owner_id","kind") WHERE owner_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_system_kind_key" ON "ledger_accounts" USING btree ("kind") WHERE owner_id is null;--> statement-breakpoint
CREATE INDEX "ledger_entries_transaction_idx" ON "ledger_entries" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_account_idx" ON "ledger_entries" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transactions_idempotency_key" ON "ledger_transactions" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "ledger_transactions_reference_idx" ON "ledger_transactions" USING btree ("reference");--> statement-breakpoint
CREATE UNIQUE INDEX "licences_trade_key" ON "licences" USING btree ("trade_id");--> statement-breakpoint
CREATE INDEX "licences_buyer_idx" ON "licences" USING btree ("buyer_id","dataset_id");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_buyer_idempotency_key" ON "orders" USING btree ("buyer_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "orders_provider_status_idx" ON "orders" USING btree ("provider_id","status");--> statement-breakpoint
CREATE INDEX "orders_dataset_idx" ON "orders" USING btree ("dataset_id");--> statement-breakpoint
CREATE UNIQUE INDEX "positive_list_active_key" ON "positive_list_entries" USING btree ("destination","classification") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "price_plans_dataset_idx" ON "price_plans" USING btree ("dataset_id");--> statement-breakpoint
CREATE INDEX "security_assessments_dataset_idx" ON "security_assessments" USING btree ("dataset_id","destination");--> statement-breakpoint
CREATE UNIQUE INDEX "settlement_records_cycle_participant_key" ON "settlement_records" USING btree ("cycle_id","participant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "trades_order_key" ON "trades" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "trades_uncleared_idx" ON "trades" USING btree ("created_at") WHERE cycle_id is null;--> statement-breakpoint
CREATE INDEX "trades_created_idx" ON "trades" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_records_usage_ref_key" ON "usage_records" USING btree ("usage_ref");--> statement-breakpoint
CREATE INDEX "usage_records_uncleared_idx" ON "usage_records" USING btree ("created_at") WHERE cycle_id is null;--> statement-breakpoint
CREATE INDEX "usage_records_licence_idx" ON "usage_records" USING btree ("licence_id");