package reco.server; public class ServerMain { public static void main(String[] a){} }
